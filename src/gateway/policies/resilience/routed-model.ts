// A served model made of several targets (the `targets` form): fallback → retry → circuit breaker, in that
// order, around each try. Per call: the targets in strategy order (target-order.ts); per target: up to
// `retry.attempts` tries with backoff (backoff.ts), each let through by the target's breaker
// (circuit-breaker.ts) or skipped. Only transient failures (transient-failure.ts) lead to another try or
// the next target; any other error is the answer. The client going away stops everything.
//
// A stream may switch target or retry only before its first event has been passed on: a try "succeeds" once
// its first event arrives, and from then on the stream is the answer — a later failure ends it with an
// exception event, never a splice of two models' answers.
import type { CallRecord } from "../../../core/call-record.js";
import { BedrockError } from "../../../core/errors.js";
import type { CallContext, ConverseInput, ConverseOutput, Model, StreamEvent } from "../../../core/model.js";
import type { CountTokensInput } from "../../../core/shapes.generated.js";
import { retryDelay, waitUnlessAborted } from "./backoff.js";
import type { CircuitBreaker, Pass } from "./circuit-breaker.js";
import type { RetryConfig, Strategy } from "../../../config/routing-config.js";
import { TargetOrder } from "./target-order.js";
import { isTransient, retryAfterMsOf } from "./transient-failure.js";

export interface RoutedTarget {
  /** Provider name, and the model name sent upstream (for the call record). */
  readonly provider: string;
  readonly upstreamModel: string;
  /** The provider's model, wrapped by the per-try policies (attempt record, per-attempt timeout). */
  readonly model: Model;
  readonly weight: number;
  readonly breaker: CircuitBreaker;
  readonly available: boolean;
}

export interface RoutedModelOptions {
  /** The served modelId. */
  id: string;
  targets: readonly RoutedTarget[];
  strategy: Strategy;
  retry: RetryConfig;
  /** For the backoff's jitter; tests may fix it. */
  random?: () => number;
}

interface Answered<T> {
  value: T;
  target: RoutedTarget;
  /** Index in record.attempts of the try that answered, and the backoff waited before it. */
  attemptIndex: number;
  delayMs: number;
}

interface StartedStream {
  first: IteratorResult<StreamEvent>;
  rest: AsyncIterator<StreamEvent>;
}

/** A try of a stream lasts until its first event (or its end, for an empty one). */
async function startStream(events: AsyncIterable<StreamEvent>): Promise<StartedStream> {
  const rest = events[Symbol.asyncIterator]();
  return { first: await rest.next(), rest };
}

/** The backoff goes on the attempt the per-try policies recorded (observe/record-attempts.ts), once it is there. */
function noteDelay(record: CallRecord, attemptIndex: number, delayMs: number): void {
  const attempt = record.attempts[attemptIndex];
  if (attempt && delayMs > 0 && attempt.delayMs === undefined) attempt.delayMs = delayMs;
}

export class RoutedModel implements Model {
  readonly id: string;
  readonly #options: RoutedModelOptions;
  readonly #order: TargetOrder<RoutedTarget>;

  constructor(options: RoutedModelOptions) {
    this.id = options.id;
    this.#options = options;
    this.#order = new TargetOrder(options.targets, options.strategy);
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    return (await this.#answer(ctx, (model, c) => model.converse(input, c))).value;
  }

  async countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    return (await this.#answer(ctx, (model, c) => model.countTokens(input, c))).value;
  }

  async *converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    // A stream's start does not yet tell whether its target is sound: the breaker hears how it ends.
    const answered = await this.#answer(ctx, (model, c) => startStream(model.converseStream(input, c)), { streaming: true });
    const { first, rest } = answered.value;
    const breaker = answered.target.breaker;
    let finished = first.done === true;
    try {
      if (first.done) return breaker.succeeded("call");
      yield first.value;
      // Committed: from here on a failure is the stream's, with no retry and no other target.
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
      finished = true;
      breaker.succeeded("call");
    } catch (err) {
      finished = true;
      if (!ctx.signal.aborted) {
        if (brokeStream(err)) breaker.failed("call");
        else breaker.succeeded("call"); // an error that is the request's: the target is up
      }
      throw err;
    } finally {
      // The client left mid-stream: release the upstream stream too.
      if (!finished) await rest.return?.();
      noteDelay(ctx.record, answered.attemptIndex, answered.delayMs);
    }
  }

  /** Tries the targets in order until one answers, or a failure is final. */
  async #answer<T>(ctx: CallContext, attempt: (model: Model, ctx: CallContext) => Promise<T>, opts: { streaming?: boolean } = {}): Promise<Answered<T>> {
    const { retry, random } = this.#options;
    let lastError: unknown;
    for (const target of this.#order.next()) {
      let delayMs = 0;
      for (let tryNumber = 1; tryNumber <= retry.attempts; tryNumber++) {
        if (delayMs > 0) {
          if (!target.available) break; // opened meanwhile (by this call's failures or others'): next target
          if (!(await waitUnlessAborted(delayMs, ctx.signal))) throw lastError;
        }
        const pass = target.breaker.pass();
        if (pass === undefined) break; // open: never called during its cool-down
        const attemptIndex = ctx.record.attempts.length;
        try {
          const value = await attempt(target.model, ctx);
          if (opts.streaming) target.breaker.started(pass);
          else target.breaker.succeeded(pass);
          noteDelay(ctx.record, attemptIndex, delayMs);
          ctx.record.provider = target.provider;
          ctx.record.upstreamModel = target.upstreamModel;
          return { value, target, attemptIndex, delayMs };
        } catch (err) {
          noteDelay(ctx.record, attemptIndex, delayMs);
          // The record names the target whose failure the client may get (the last one tried), not the first.
          ctx.record.provider = target.provider;
          ctx.record.upstreamModel = target.upstreamModel;
          if (!this.#settle(target.breaker, pass, err, ctx)) throw err;
          lastError = err;
          // A target the upstream says is misconfigured (its key, its model) is not tried again: the next one is.
          const again = tryNumber < retry.attempts && !misconfigured(err);
          const next = again ? retryDelay(retry, tryNumber, retryAfterMsOf(err), random) : undefined;
          if (next === undefined) break; // out of tries, or asked to wait longer than maxDelayMs: next target
          delayMs = next;
        }
      }
    }
    throw lastError ?? this.#allOpen();
  }

  /** Tells the breaker how a try ended; true when another try (or target) may follow. */
  #settle(breaker: CircuitBreaker, pass: Pass, err: unknown, ctx: CallContext): boolean {
    if (ctx.signal.aborted) {
      breaker.released(pass);
      return false;
    }
    if (!isTransient(err) && !misconfigured(err)) {
      // The target answered, with an error that is the request's fault: it is up.
      breaker.succeeded(pass);
      return false;
    }
    breaker.failed(pass);
    return true;
  }

  #allOpen(): BedrockError {
    return new BedrockError(
      "ServiceUnavailableException",
      `Every target of model ${this.id} is failing (circuit breakers open). Try your request again later.`,
    );
  }
}

/**
 * A stream that failed after its first event: the target's fault when transient, and also when the upstream
 * cut it or sent an error event without blaming the request (ModelStreamErrorException without a 4xx of its
 * own). Such a target keeps breaking streams, so its breaker hears it and the fallback can take over.
 */
function brokeStream(err: unknown): boolean {
  if (isTransient(err)) return true;
  if (!(err instanceof BedrockError) || err.errorName !== "ModelStreamErrorException") return false;
  const status = err.fields.originalStatusCode;
  return status === undefined || status >= 500 || status === 429;
}

/** The upstream refused this target's own credentials or model (errors.ts): the target's fault, not the request's. */
function misconfigured(err: unknown): boolean {
  return err instanceof BedrockError && err.targetMisconfigured === true;
}
