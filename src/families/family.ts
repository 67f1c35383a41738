// A model family's native InvokeModel body, translated to and from Basalt's Converse core, so any backend
// serves any family (issue 5). One file per family under src/families/, registered in families/index.ts.
import type { CallContext, ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type { ModelFamily } from "../core/model-info.js";

export interface InvokeCall {
  /** The modelId as the client sent it (decoded). */
  modelId: string;
  ctx: CallContext;
  /**
   * The Converse input toConverse produced, set by the operation before fromConverse/toChunks run (e.g. to
   * name the matched stop sequence, which Converse output does not carry).
   */
  input?: ConverseInput;
}

/** Totals the operation adds as `amazon-bedrock-invocationMetrics` to the last stream chunk. */
export interface InvocationUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface Family {
  readonly name: ModelFamily;
  /** Native request body (parsed JSON) → Converse input. Throws a ValidationException in Bedrock's style. */
  toConverse(body: unknown, call: InvokeCall): ConverseInput;
  /** Converse output → the family's native response body. */
  fromConverse(output: ConverseOutput, call: InvokeCall): unknown;
  /**
   * Converse stream events → the family's native stream chunks (each becomes one `chunk` event). The
   * operation adds `amazon-bedrock-invocationMetrics` to the last chunk.
   */
  toChunks(events: AsyncIterable<StreamEvent>, call: InvokeCall): AsyncIterable<Record<string, unknown>>;
}
