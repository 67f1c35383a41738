// How long a bidirectional session may live: in total (Bedrock ends a session after 8 minutes) and without
// traffic (no input event arrived and no output event was written). Either ends it with an exception event.
import { BedrockError } from "../../../core/errors.js";

export interface SessionLimits {
  /** A session ends this long after it began. */
  readonly maxSessionMs: number;
  /** A session with no input event and no output event for this long ends. */
  readonly idleTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessionMs: 8 * 60_000, idleTimeoutMs: 60_000 };

export interface LimitWatch {
  /** Traffic: the idle clock starts again. */
  touch(): void;
  stop(): void;
}

export function watchSessionLimits(limits: SessionLimits, expire: (error: BedrockError) => void): LimitWatch {
  const total = setTimeout(() => {
    expire(new BedrockError("ModelTimeoutException", `The session reached its ${Math.round(limits.maxSessionMs / 1000)} s limit and was ended. Start a new session to continue.`));
  }, limits.maxSessionMs);
  const idle = setTimeout(() => {
    expire(new BedrockError("ModelTimeoutException", `No input event arrived for ${Math.round(limits.idleTimeoutMs / 1000)} s; the session was ended.`));
  }, limits.idleTimeoutMs);
  // Neither keeps the process alive on its own (a stopping server must not wait for them).
  total.unref();
  idle.unref();
  return {
    touch: () => void idle.refresh(),
    stop() {
      clearTimeout(total);
      clearTimeout(idle);
    },
  };
}
