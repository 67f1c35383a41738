// The one way a job reaches a model: the same path as InvokeModel (model registry, the model's family,
// every gateway policy), injected by app.ts so the job engine never knows which backend answers.
import type { Caller } from "../core/caller.js";

export interface JobInvokeContext {
  /** "async" for StartAsyncInvoke jobs, "batch" for batch records: the ledger's frontDoor. */
  readonly frontDoor: "async" | "batch";
  readonly jobArn: string;
  /** What modelInput is: a native InvokeModel body (async jobs, default batch) or a Converse request. */
  readonly invocationType: "InvokeModel" | "Converse";
  /** Batch: the record's recordId. */
  readonly recordId?: string;
  /** The caller that submitted the job, as authenticated then (its model allow-list and quotas apply). */
  readonly caller: Caller;
  /** Aborted when this node shuts down: the work is released for another node or the next start. */
  readonly signal: AbortSignal;
}

export interface InvokeResult {
  /** The response body InvokeModel (or Converse) would have returned, parsed JSON. */
  body: unknown;
  inputTokens?: number;
  outputTokens?: number;
}

/** Throws a BedrockError when the model (or a policy) refuses the call; the job records it as the failure. */
export type InvokeFn = (modelId: string, modelInput: unknown, ctx: JobInvokeContext) => Promise<InvokeResult>;
