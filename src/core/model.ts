// The one interface every backend meets. Gateway policies (later) wrap it; the front doors call it.
import type {
  ContentBlock, ConverseRequest as WireConverseRequest, ConverseResponse, ConverseStreamOutput,
  CountTokensInput, Message, SystemContentBlock,
} from "./shapes.generated.js";

/** A Converse call as the core sees it: the wire request without the URI label. */
export type ConverseInput = Omit<WireConverseRequest, "modelId">;
export type ConverseOutput = ConverseResponse;

/** One ConverseStream event: exactly one member of the ConverseStreamOutput union (events only). */
export type StreamEvent = Exclude<
  ConverseStreamOutput,
  | { internalServerException: unknown } | { modelStreamErrorException: unknown } | { validationException: unknown }
  | { throttlingException: unknown } | { serviceUnavailableException: unknown }
>;

export interface CallContext {
  /** The modelId as the client sent it (decoded). */
  readonly requestedModelId: string;
  readonly requestId: string;
  /** Aborted when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  /** process.hrtime.bigint() at request arrival, for metrics.latencyMs. */
  readonly startedAt: bigint;
}

export interface Model {
  /** The served modelId this instance answers for. */
  readonly id: string;
  converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput>;
  /** Events in Bedrock's order; throw a BedrockError to end the stream with an exception event. */
  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent>;
  /** Input tokens of a request, as Converse would report them. */
  countTokens(input: CountTokensInput, ctx: CallContext): Promise<number>;
}

export type { ContentBlock, Message, SystemContentBlock };

export function latencyMs(ctx: CallContext): number {
  return Number((process.hrtime.bigint() - ctx.startedAt) / 1_000_000n);
}
