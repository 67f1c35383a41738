// The per-attempt timeout of a routed model's target (`timeoutMs`): a unary answer, or a stream's first event,
// that takes longer fails the attempt with a ModelTimeoutException — transient, so the next try or target
// follows — and the upstream call is aborted. Once a stream has begun it is the answer (no later switch is
// possible), so its remaining events are left to the provider's own timeout.
import { BedrockError } from "../../../core/errors.js";
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import type { CallContext, Model, StreamEvent } from "../../../core/model.js";

const TIMEOUT_MESSAGE = "Model has timed out in processing the request. Try your request again.";

/** A deadline for one attempt: the context the attempt runs with, whose signal also fires at the deadline. */
class AttemptDeadline {
  readonly ctx: CallContext;
  #controller?: AbortController;
  #timer?: NodeJS.Timeout;

  constructor(outer: CallContext, private readonly timeoutMs: number) {
    const deadline = this;
    // The signal is made on first use, as the call's own is (an echo target never asks for one).
    // onCancel is hidden, not inherited: the outer call's would not hear this deadline (cancellationOf then
    // takes the combined signal).
    this.ctx = Object.create(outer, {
      signal: { get: () => AbortSignal.any([outer.signal, deadline.#signal()]), enumerable: true },
      onCancel: { value: undefined, enumerable: true },
    }) as CallContext;
  }

  #signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** `work`'s result, or a ModelTimeoutException once the deadline passes (the attempt is then aborted). */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#timer = setTimeout(() => {
        this.#controller?.abort();
        reject(new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE));
      }, this.timeoutMs);
      work.then(resolve, reject).finally(() => clearTimeout(this.#timer));
    });
  }
}

export function attemptTimeout(timeoutMs: number): ModelMiddleware {
  return (inner: Model): Model => ({
    id: inner.id,
    converse(input, ctx) {
      const deadline = new AttemptDeadline(ctx, timeoutMs);
      return deadline.race(inner.converse(input, deadline.ctx));
    },
    async *converseStream(input, ctx): AsyncIterable<StreamEvent> {
      const deadline = new AttemptDeadline(ctx, timeoutMs);
      const events = inner.converseStream(input, deadline.ctx)[Symbol.asyncIterator]();
      let first: IteratorResult<StreamEvent>;
      try {
        first = await deadline.race(events.next());
      } catch (err) {
        // Let the abandoned stream wind down (its upstream call was aborted) without an unhandled rejection.
        events.return?.().catch(() => undefined);
        throw err;
      }
      if (first.done) return;
      yield first.value;
      yield* { [Symbol.asyncIterator]: () => events };
    },
    countTokens(input, ctx) {
      const deadline = new AttemptDeadline(ctx, timeoutMs);
      return deadline.race(inner.countTokens(input, deadline.ctx));
    },
  });
}
