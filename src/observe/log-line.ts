// One log line per finished call (issue 10): who called what, how it was served and how it ended, so a 503 in
// CI can be explained from the log alone. Never a body, a header or a secret: only the record's own fields,
// whose error messages are Basalt's (or an upstream's) wording about the failure. The logged requestId is
// the `x-amzn-requestid` the client got.
import { symbols as pinoSymbols, type Logger } from "pino";
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

/** What a pino logger writes its lines to: its destination (a file descriptor, or pino-pretty). */
type LineSink = { write(line: string): unknown };

/**
 * Writes each call's line in pino's own JSON line format (`level`, `time`, the fields, `msg`) straight to the
 * logger's destination, and the lines of one event-loop turn in one write. Through `logger.info(fields)` a
 * line cost a pino serialisation (a stringify per key) and a write system call per call, together the
 * largest observer cost of an echo Converse (bench/: ~25 µs of ~230 µs per call at 3,000 calls/s).
 */
export class CallLogLine implements CallObserver {
  readonly name = "log";
  private readonly logger: Logger;
  private readonly sink: LineSink;
  private pending = "";
  private scheduled = false;

  constructor(logger: Logger) {
    this.logger = logger;
    this.sink = (logger as unknown as Record<symbol, LineSink>)[pinoSymbols.streamSym];
  }

  observe(record: Readonly<CallRecord>): void {
    const level = logLevel(record);
    if (!this.logger.isLevelEnabled(level)) return;
    // JSON.stringify leaves undefined fields out, as pino does; the fields object opens with '{' and ends with '}'.
    const fields = JSON.stringify(logFields(record));
    const members = fields.length > 2 ? `${fields.slice(1, -1)},` : "";
    this.pending += `{"level":${this.logger.levels.values[level]},"time":${Date.now()},${members}"msg":${JSON.stringify(logMessage(record))}}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the lines waiting for the end of the turn (also on close: the last calls before a stop). */
  flush(): void {
    this.scheduled = false;
    if (!this.pending) return;
    const lines = this.pending;
    this.pending = "";
    this.sink.write(lines);
  }

  async close(): Promise<void> {
    this.flush();
  }
}
