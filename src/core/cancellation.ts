// How a model call hears that it was cancelled (the client left). An AbortSignal says it, but making one per
// call — an AbortController, its EventTarget, a listener added and removed per upstream attempt — was ~3 % of
// an upstream call's CPU in a profile of the sustained-throughput scenario, and a unary upstream call needs
// only to be told. A context that can tell its listeners without a signal offers `onCancel`; everything else
// passes the signal, and `listenForCancel` takes either.

/** Calls `listener` once when the call is cancelled (at once if it has been); returns what stops listening. */
export type OnCancel = (listener: (reason: unknown) => void) => () => void;

/** Either an AbortSignal or something that tells listeners without one. */
export type Cancellation = AbortSignal | { readonly onCancel: OnCancel };

/** A stop-listening that has nothing to stop. */
export const noop = (): void => undefined;

/** What `abort()` without a reason gives a signal: the reason a cancellation without one is told with. */
export const abortReason = (): DOMException => new DOMException("This operation was aborted", "AbortError");

/**
 * The listeners of one cancellation, each told once, when it happens (at once if it has): what a context
 * offering `onCancel` keeps instead of an AbortController.
 */
export class CancelListeners {
  #listeners?: Set<(reason: unknown) => void>;
  #cancelled?: { readonly reason: unknown };

  /** Set once cancelled, with the reason its listeners were told. */
  get cancelled(): { readonly reason: unknown } | undefined {
    return this.#cancelled;
  }

  listen(listener: (reason: unknown) => void): () => void {
    if (this.#cancelled) {
      listener(this.#cancelled.reason);
      return noop;
    }
    const listeners = (this.#listeners ??= new Set());
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  /** Tells every listener (the first time only). */
  cancel(reason: unknown): void {
    if (this.#cancelled) return;
    this.#cancelled = { reason };
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }
}

/** `listener` is called once when `cancellation` fires (at once if it has); the result stops listening. */
export function listenForCancel(cancellation: Cancellation, listener: (reason: unknown) => void): () => void {
  if (!(cancellation instanceof AbortSignal)) return cancellation.onCancel(listener);
  if (cancellation.aborted) {
    listener(cancellation.reason);
    return noop;
  }
  const onAbort = () => listener(cancellation.reason);
  cancellation.addEventListener("abort", onAbort, { once: true });
  return () => cancellation.removeEventListener("abort", onAbort);
}
