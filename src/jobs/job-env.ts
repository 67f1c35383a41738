// What the services and the worker share: the stores, the model path, where ARNs live, and a way to wake
// this node's worker when work is submitted here.
import type { BlobStore } from "../storage/blob-store.js";
import type { SqlDatabase } from "../storage/sql-database.js";
import type { ArnScope } from "./ids.js";
import type { InvokeFn } from "./invoke-fn.js";

export interface JobEnv {
  readonly db: SqlDatabase;
  readonly blobs: BlobStore;
  readonly invoke: InvokeFn;
  readonly scope: ArnScope;
  /** Whether a modelId is served here; unknown ids are refused at submission, as InvokeModel refuses them. */
  readonly knowsModel: (modelId: string) => boolean;
  /**
   * Checks a native body before the job is accepted (throws a ValidationException), so a malformed
   * modelInput fails StartAsyncInvoke instead of becoming a Failed job. Optional.
   */
  readonly checkModelInput?: (modelId: string, modelInput: unknown) => void;
  /** Delay before a "try later" answer is retried, by how many retries came before (retry-later.ts). */
  readonly retryDelayMs: (retries: number) => number;
  /** Wakes this node's worker. */
  readonly nudge: () => void;
}
