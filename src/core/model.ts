// The one interface every backend meets. Gateway policies (later) wrap it; the front doors call it.
import type {
  ContentBlock, ConverseRequest as WireConverseRequest, ConverseResponse, ConverseStreamOutput,
  CountTokensInput, Message, SystemContentBlock,
} from "./shapes.generated.js";
import type { CallRecord } from "./call-record.js";
import type { Caller } from "./caller.js";
import { listenForCancel, type Cancellation, type OnCancel } from "./cancellation.js";

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
  /**
   * For what only needs to hear of it (an upstream request): the listener is told when `signal` would abort,
   * without the signal being made. Contexts without it are heard through `signal` (cancellationOf).
   */
  readonly onCancel?: OnCancel;
  /** process.hrtime.bigint() at request arrival, for metrics.latencyMs. */
  readonly startedAt: bigint;
  /** Who is calling (ANONYMOUS when auth is off). */
  readonly caller: Caller;
  /** The per-call record policies and providers fill in; observers read it when the call has ended. */
  readonly record: CallRecord;
}

/**
 * A CallContext whose `signal` is read from another object only when asked for (where it is made on first
 * use). A class, so the getter sits on its prototype: an object literal with a getter is built by a slow
 * runtime path on every call.
 */
export class CallContextOf implements CallContext {
  readonly #signalOf: { readonly signal: AbortSignal; readonly onCancel?: OnCancel };

  constructor(
    readonly requestedModelId: string,
    readonly requestId: string,
    readonly startedAt: bigint,
    readonly caller: Caller,
    readonly record: CallRecord,
    signalOf: { readonly signal: AbortSignal; readonly onCancel?: OnCancel },
  ) {
    this.#signalOf = signalOf;
  }

  get signal(): AbortSignal {
    return this.#signalOf.signal;
  }

  // An arrow property would be one closure per context; a method keeps it on the prototype.
  onCancel(listener: (reason: unknown) => void): () => void {
    return listenForCancel(cancellationOf(this.#signalOf), listener);
  }
}

/** What tells a call's upstream request it was cancelled: the context itself when it can, else its signal. */
export function cancellationOf(ctx: { readonly signal: AbortSignal; readonly onCancel?: OnCancel }): Cancellation {
  return ctx.onCancel ? (ctx as { readonly onCancel: OnCancel }) : ctx.signal;
}

export interface Model {
  /** The served modelId this instance answers for. */
  readonly id: string;
  converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput>;
  /** Events in Bedrock's order; throw a BedrockError to end the stream with an exception event. */
  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent>;
  /** Input tokens of a request, as Converse would report them. */
  countTokens(input: CountTokensInput, ctx: CallContext): Promise<number>;
  /**
   * Optional pass-through for backends that already speak Bedrock: the front door validates the request as
   * usual, then hands over the raw body and relays the answer unchanged (see api/bedrock/relay-response.ts).
   */
  relay?(call: RelayCall, ctx: CallContext): Promise<RelayedResponse>;
}

/** A request to pass through: the route's action (`converse`, `invoke`, …), the client's body and the headers to keep. */
export interface RelayCall {
  readonly action: string;
  readonly body: Uint8Array;
  /** Lower-case names: content-type, accept, x-amzn-bedrock-* as the client sent them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The upstream's answer: status, headers worth relaying (lower-case names), body bytes as they arrive. */
export interface RelayedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Throws a BedrockError if the upstream breaks off mid-body. */
  readonly body: AsyncIterable<Uint8Array>;
}

export type { ContentBlock, Message, SystemContentBlock };

export function latencyMs(ctx: CallContext): number {
  return Number((process.hrtime.bigint() - ctx.startedAt) / 1_000_000n);
}
