// Which failures another try may cure — the one rule the retry, fallback and breaker logic share. Transient:
// throttling (429), an upstream's 5xx or 529, a timeout, a refused or reset connection (the providers map
// those to ServiceUnavailableException). Never a request the caller got wrong (validation, access, not
// found, too long): sending it again, or elsewhere, would fail the same way.
import { BedrockError } from "../../../core/errors.js";

/** True when the same request may succeed on another try (of this target or the next). */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof BedrockError)) return false; // a bug, not an upstream's bad moment
  // The error table's judgement (throttling, server faults, @retryable) or its maker's.
  if (err.retryable) return true;
  // Bedrock's ModelTimeoutException is a 408 "client fault" to the SDKs, but for a gateway a timed-out upstream
  // is exactly what another try or another target may cure.
  if (err.errorName === "ModelTimeoutException") return true;
  // ModelErrorException / ModelStreamErrorException carry the upstream's own status: its 5xx is its fault.
  const status = err.fields.originalStatusCode;
  return status !== undefined && (status >= 500 || status === 429);
}

/** How long the upstream asked us to wait (Retry-After / retry-after-ms), when it said. */
export function retryAfterMsOf(err: unknown): number | undefined {
  if (!(err instanceof BedrockError)) return undefined;
  const ms = err.retryAfterMs;
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
