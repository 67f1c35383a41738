// Combining abort signals, in one place: a stream is cut when the client leaves or the server shuts down.
import type { CallContext } from "./model.js";

/** A signal aborted when either one is. */
export function eitherSignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return AbortSignal.any([a, b]);
}

/** The same call, whose signal also fires on server shutdown (streams end then; unary calls finish). */
export function withShutdown(ctx: CallContext, shutdown: AbortSignal): CallContext {
  return { ...ctx, signal: eitherSignal(ctx.signal, shutdown) };
}
