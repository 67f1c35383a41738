// A configured backend: turns a `models:` entry into a Model.
import type { Model } from "../core/model.js";
import type { ModelInfo } from "../core/model-info.js";

export interface Provider {
  readonly name: string;
  readonly type: string;
  /** A Model answering for `entry.id`, calling the upstream model `entry.model ?? entry.id`. */
  model(entry: ModelInfo): Model;
  /** Releases connections (called on shutdown). */
  close?(): Promise<void>;
}
