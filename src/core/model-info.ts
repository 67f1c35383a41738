// What the core knows about a served model: the registry maps the config's `models:` entries into this,
// so families, providers and front doors never depend on the config file's types.
import type { Model } from "./model.js";

/** Native InvokeModel body formats (families/). */
export const MODEL_FAMILIES = ["anthropic", "nova", "llama", "titan", "mistral", "cohere", "openai", "echo"] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

/** Requests and tokens per minute (per model: all callers together). */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

export interface ModelInfo {
  /** The modelId clients send: a plain id, an inference-profile id, or an ARN. */
  readonly id: string;
  /** Provider name (`providers:` key, or "echo"). */
  readonly provider: string;
  /** The upstream's own model name, when it differs from `id`. */
  readonly model?: string;
  /** The native InvokeModel body the model speaks, when its id prefix does not say. */
  readonly family?: ModelFamily;
  /** Limits for this model, all callers together (the quota policy reads them). */
  readonly limits?: RateLimits;
}

/** A model as the front doors get it: wrapped by every policy, with what the config said about it. */
export interface ServedModel {
  readonly model: Model;
  readonly info: ModelInfo;
}

/** The served models, by the modelId a request names (plain id, inference-profile id or ARN). */
export interface ModelCatalog {
  readonly ids: string[];
  resolve(modelId: string): ServedModel | undefined;
}
