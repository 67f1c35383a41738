// How long to wait before the next try of a target: exponential backoff with full jitter (a random wait
// between 0 and min(maxDelayMs, baseDelayMs · 2^(retry-1)), so many clients retrying at once spread out),
// unless the upstream said how long (Retry-After): then exactly that — or, when it asks for longer than
// maxDelayMs, no retry of this target at all.
import type { RetryConfig } from "../../../config/routing-config.js";

/** The wait before the `retry`-th retry (1 = the second try). */
export function jitteredDelay(retry: RetryConfig, retryNumber: number, random: () => number = Math.random): number {
  const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(random() * cap);
}

/** The wait before the next try, or undefined when the upstream asked for a wait longer than allowed. */
export function retryDelay(retry: RetryConfig, retryNumber: number, retryAfterMs: number | undefined, random?: () => number): number | undefined {
  if (retryAfterMs === undefined) return jitteredDelay(retry, retryNumber, random);
  return retryAfterMs > retry.maxDelayMs ? undefined : retryAfterMs;
}

/** Waits `ms`; resolves false at once if `signal` aborts first (the client went away). */
export function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
