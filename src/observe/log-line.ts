// One log line per finished call (issue 10): who called what, how it was served and how it ended, so a 503 in
// CI can be explained from the log alone. Never a body, a header or a secret: only the record's own fields,
// whose error messages are Basalt's (or an upstream's) wording about the failure. The logged requestId is
// the `x-amzn-requestid` the client got.
import type { Logger } from "pino";
import type { CallRecord } from "../core/call-record.js";
import type { CallObserver } from "./call-observer.js";

/** The record fields of one log line; undefined fields are left out of the JSON. */
export function logFields(r: Readonly<CallRecord>): Record<string, unknown> {
  return {
    requestId: r.requestId,
    frontDoor: r.frontDoor,
    operation: r.operation || undefined,
    caller: r.caller,
    modelId: r.requestedModelId,
    servedModel: r.modelId !== r.requestedModelId ? r.modelId : undefined,
    provider: r.provider,
    upstreamModel: r.upstreamModel,
    status: r.status,
    error: r.errorName,
    errorMessage: r.errorMessage,
    cause: causeOf(r),
    stopReason: r.stopReason,
    latencyMs: r.latencyMs,
    ttftMs: r.timeToFirstTokenMs,
    upstreamMs: r.upstreamMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    attempts: r.attempts.length ? r.attempts.length : undefined,
    attemptOutcomes: r.attempts.length > 1 || r.attempts.some((a) => a.outcome !== "ok") ? r.attempts.map(formatAttempt) : undefined,
    cache: r.cache,
    script: r.script,
    guardrailAction: r.guardrailAction,
    costUsd: r.costUsd ?? undefined,
    clientGone: r.clientGone || undefined,
  };
}

/** "primary/llama3.1:8b ThrottlingException 429 3ms", with "after 1000ms backoff" when a retry waited first. */
function formatAttempt(a: CallRecord["attempts"][number]): string {
  const backoff = a.delayMs ? ` after ${a.delayMs}ms backoff` : "";
  return `${a.provider}/${a.upstreamModel} ${a.outcome}${a.status ? ` ${a.status}` : ""}${a.durationMs !== undefined ? ` ${a.durationMs}ms` : ""}${backoff}`;
}

/** The cause chain, when the failure had one: "TypeError: fetch failed <- Error: connect ECONNREFUSED …". */
function causeOf(r: Readonly<CallRecord>): string | undefined {
  return r.errorCause?.length ? r.errorCause.join(" <- ") : undefined;
}

export function logMessage(r: Readonly<CallRecord>): string {
  const what = `${r.operation || r.frontDoor} ${r.modelId ?? r.requestedModelId ?? ""}`.trimEnd();
  const outcome = r.errorName ?? (r.clientGone ? "client gone" : String(r.status ?? "ok"));
  return `${what} ${outcome}${r.latencyMs !== undefined ? ` ${r.latencyMs}ms` : ""}`;
}

// 4xx statuses that are not the client's doing: the model (upstream) failed, timed out or was not ready.
const UPSTREAM_FAULTS = new Set(["ModelErrorException", "ModelTimeoutException", "ModelNotReadyException", "ModelStreamErrorException"]);

/**
 * info for answered calls, warn for the client's errors (4xx, a client that left), error for server-side and
 * upstream ones (5xx, and the 4xx that mean the model failed: 424 ModelErrorException, 408 ModelTimeoutException);
 * the admin API's own requests (console, scrapes) at debug unless they fail.
 */
export function logLevel(r: Readonly<CallRecord>): "debug" | "info" | "warn" | "error" {
  if (!r.errorName) return r.frontDoor === "admin" ? "debug" : r.clientGone ? "warn" : "info";
  if (UPSTREAM_FAULTS.has(r.errorName)) return "error";
  if (r.status !== undefined && r.status >= 400 && r.status < 500) return "warn";
  return "error";
}

export class CallLogLine implements CallObserver {
  readonly name = "log";
  private readonly logger: Logger;

  constructor(logger: Logger) {
    // The line holds only the record's own fields (above), never a key or a header, so the logger's redaction
    // paths have nothing to find in it; walking them (wildcards over every field) was the largest part of the
    // line's cost on every call (bench/: ~10 µs of ~25 µs).
    this.logger = logger.child({}, { redact: [] });
  }

  observe(record: Readonly<CallRecord>): void {
    const level = logLevel(record);
    if (!this.logger.isLevelEnabled(level)) return;
    this.logger[level](logFields(record), logMessage(record));
  }
}
