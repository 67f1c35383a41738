// The per-attempt timeout of a routed model's target (`timeoutMs`): a unary answer, or a stream's first event,
// that takes longer fails the attempt with a ModelTimeoutException — transient, so the next try or target
// follows — and the upstream call is aborted. Once a stream has begun it is the answer (no later switch is
// possible), so its remaining events are left to the provider's own timeout.
import { BedrockError } from "../../../core/errors.js";
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import { cancellationOf, type CallContext, type Model, type StreamEvent } from "../../../core/model.js";
import { CancelListeners, abortReason, listenForCancel, noop } from "../../../core/cancellation.js";

const TIMEOUT_MESSAGE = "Model has timed out in processing the request. Try your request again.";

/**
 * One attempt's context: the call's own, whose cancellation also fires at the attempt's deadline. A class
 * with the call's fields copied (not an `Object.create` of the outer context with property descriptors: that
 * object is built in dictionary mode, and every field read walks the chain), and without an AbortSignal
 * unless someone asks for one: an upstream call hears the deadline through `onCancel`.
 */
class AttemptContext implements CallContext {
  readonly requestedModelId: string;
  readonly requestId: string;
  readonly startedAt: bigint;
  readonly caller: CallContext["caller"];
  readonly record: CallContext["record"];
  readonly #outer: CallContext;
  readonly #deadline = new CancelListeners();
  #signal?: AbortSignal;
  #controller?: AbortController;
  #timer?: NodeJS.Timeout;

  constructor(outer: CallContext, private readonly timeoutMs: number) {
    this.requestedModelId = outer.requestedModelId;
    this.requestId = outer.requestId;
    this.startedAt = outer.startedAt;
    this.caller = outer.caller;
    this.record = outer.record;
    this.#outer = outer;
  }

  get signal(): AbortSignal {
    if (!this.#signal) {
      this.#controller = new AbortController();
      const expired = this.#deadline.cancelled;
      if (expired) this.#controller.abort(expired.reason);
      this.#signal = AbortSignal.any([this.#outer.signal, this.#controller.signal]);
    }
    return this.#signal;
  }

  /** Whichever comes first, the client leaving or the deadline, is told once. */
  onCancel(listener: (reason: unknown) => void): () => void {
    let told = false;
    let stopDeadline = noop;
    let stopOuter = noop;
    const once = (reason: unknown) => {
      if (told) return;
      told = true;
      stopDeadline();
      stopOuter();
      listener(reason);
    };
    // Past the deadline, `listen` runs `once` at once (and has nothing to stop); so does an outer call
    // already cancelled.
    stopDeadline = this.#deadline.listen(once);
    if (!told) stopOuter = listenForCancel(cancellationOf(this.#outer), once);
    return () => {
      told = true;
      stopDeadline();
      stopOuter();
    };
  }

  /** `work`'s result, or a ModelTimeoutException once the deadline passes (the attempt is then aborted). */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#timer = setTimeout(() => {
        const reason = abortReason();
        this.#controller?.abort(reason);
        this.#deadline.cancel(reason);
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
      const attempt = new AttemptContext(ctx, timeoutMs);
      return attempt.race(inner.converse(input, attempt));
    },
    async *converseStream(input, ctx): AsyncIterable<StreamEvent> {
      const attempt = new AttemptContext(ctx, timeoutMs);
      const events = inner.converseStream(input, attempt)[Symbol.asyncIterator]();
      let first: IteratorResult<StreamEvent>;
      try {
        first = await attempt.race(events.next());
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
      const attempt = new AttemptContext(ctx, timeoutMs);
      return attempt.race(inner.countTokens(input, attempt));
    },
  });
}
