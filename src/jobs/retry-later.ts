// Which model answers mean "try later" rather than "this request is wrong": a job puts its work back with a
// delay instead of recording a failure, as Bedrock's own batch queue waits out throttling. Everything else
// (validation, model errors, timeouts) is the record's or the invocation's result.
import type { BedrockError } from "../core/errors.js";

const LATER = new Set(["ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"]);

/** Retries of one record or invocation before the "try later" answer is taken as its result. */
export const MAX_RETRIES = 30;

export const isTryLater = (err: BedrockError): boolean => LATER.has(err.errorName);

/** Default backoff: 1 s, 2 s, 4 s … capped at a minute, with ±20 % jitter so nodes do not retry in step. */
export function defaultRetryDelayMs(retries: number): number {
  const base = Math.min(60_000, 1000 * 2 ** retries);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
