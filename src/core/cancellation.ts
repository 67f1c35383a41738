// How a model call hears that it was cancelled (the client left). An AbortSignal says it, but making one per
// call — an AbortController, its EventTarget, a listener added and removed per upstream attempt — was ~3 % of
// an upstream call's CPU in a profile of the sustained-throughput scenario, and a unary upstream call needs
// only to be told. A context that can tell its listeners without a signal offers `onCancel`; everything else
// passes the signal, and `listenForCancel` takes either.

/** Calls `listener` once when the call is cancelled (at once if it has been); returns what stops listening. */
export type OnCancel = (listener: (reason: unknown) => void) => () => void;

/** Either an AbortSignal or something that tells listeners without one. */
export type Cancellation = AbortSignal | { readonly onCancel: OnCancel };

const noop = (): void => undefined;

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
