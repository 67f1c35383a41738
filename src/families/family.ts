// A model family's native InvokeModel body, translated to and from Basalt's Converse core, so any backend
// serves any family (issue 5). One file per family under src/families/, registered in families/index.ts.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type { ModelFamily } from "../core/model-info.js";

/** What a family may need to know about the call besides its body. */
export interface InvokeCall {
  /** The modelId as the client sent it (decoded). */
  readonly modelId: string;
  readonly requestId: string;
}

/**
 * One native request, read: the Converse input it asks for, and how to answer it in the family's words.
 * Whatever the answer needs from the request (the stop sequences asked for, the chat style, the history a
 * response repeats) is held here, per call, and nowhere else.
 */
export interface NativeRequest {
  readonly input: ConverseInput;
  /** Converse output → the family's native response body. */
  fromConverse(output: ConverseOutput): unknown;
  /**
   * Converse stream events → the family's native stream chunks (each becomes one `chunk` event). The
   * operation adds `amazon-bedrock-invocationMetrics` to the last chunk.
   */
  toChunks(events: AsyncIterable<StreamEvent>, early?: EarlyUsage): AsyncIterable<Record<string, unknown>>;
}

/**
 * What is known of the usage before the stream starts. Converse reports usage only in its last event, but
 * some families report the prompt's tokens in their first chunk (Claude's message_start, Llama's first
 * prompt_token_count); when the backend can count them up front, the operation passes them here.
 */
export interface EarlyUsage {
  readonly inputTokens: number;
}

export interface Family {
  readonly name: ModelFamily;
  /** Reads a native request body (parsed JSON). Throws a ValidationException in Bedrock's style. */
  toConverse(body: unknown, call: InvokeCall): NativeRequest;
}
