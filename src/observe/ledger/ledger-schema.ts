// The ledger's one table, in the SQL subset SQLite and Postgres share (BIGINT epoch-ms times, DOUBLE
// PRECISION for ms and USD, TEXT for JSON). One row per call, keyed by request id so a retried batch
// insert cannot count a call twice.
import type { CallRecord } from "../../core/call-record.js";
import type { SqlValue } from "../../storage/sql-database.js";

export const LEDGER_TABLE = "basalt_call_ledger";

export const LEDGER_MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: "observe-001-call-ledger",
    sql: `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
  request_id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,
  front_door TEXT NOT NULL,
  operation TEXT NOT NULL,
  caller TEXT NOT NULL,
  requested_model TEXT,
  model TEXT,
  provider TEXT,
  upstream_model TEXT,
  attempts TEXT,
  status INTEGER,
  error_name TEXT,
  error_message TEXT,
  stop_reason TEXT,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cache_read_tokens BIGINT,
  cache_write_tokens BIGINT,
  latency_ms DOUBLE PRECISION,
  ttft_ms DOUBLE PRECISION,
  upstream_ms DOUBLE PRECISION,
  cache TEXT,
  script TEXT,
  guardrail_action TEXT,
  cost_usd DOUBLE PRECISION,
  client_gone INTEGER NOT NULL
)`,
  },
  { name: "observe-002-ledger-started", sql: `CREATE INDEX IF NOT EXISTS ${LEDGER_TABLE}_started ON ${LEDGER_TABLE} (started_at)` },
  { name: "observe-003-ledger-seq", sql: `CREATE INDEX IF NOT EXISTS ${LEDGER_TABLE}_seq ON ${LEDGER_TABLE} (seq)` },
];

export const LEDGER_COLUMNS = [
  "request_id", "seq", "started_at", "ended_at", "front_door", "operation", "caller", "requested_model", "model",
  "provider", "upstream_model", "attempts", "status", "error_name", "error_message", "stop_reason", "input_tokens",
  "output_tokens", "cache_read_tokens", "cache_write_tokens", "latency_ms", "ttft_ms", "upstream_ms", "cache",
  "script", "guardrail_action", "cost_usd", "client_gone",
] as const;

/** A finished call as the ledger stores it: the record plus what the observer stamps at the end. */
export interface LedgerEntry {
  readonly record: Readonly<CallRecord>;
  /** Arrival in epoch µs: the order of /_basalt/calls. */
  readonly seq: number;
  readonly endedAtMs: number;
}

// Postgres TEXT refuses NUL characters; an upstream's error message may carry one.
const opt = (v: string | number | undefined | null): SqlValue =>
  v === undefined ? null : typeof v === "string" && v.includes("\u0000") ? v.replaceAll("\u0000", "") : v;

/** Values in LEDGER_COLUMNS order. */
export function entryToRow({ record: r, seq, endedAtMs }: LedgerEntry): SqlValue[] {
  return [
    r.requestId, seq, r.startedAtMs, endedAtMs, r.frontDoor, r.operation, r.caller, opt(r.requestedModelId),
    opt(r.modelId), opt(r.provider), opt(r.upstreamModel), r.attempts.length ? JSON.stringify(r.attempts) : null,
    opt(r.status), opt(r.errorName), opt(r.errorMessage), opt(r.stopReason), opt(r.inputTokens), opt(r.outputTokens),
    opt(r.cacheReadTokens), opt(r.cacheWriteTokens), opt(r.latencyMs), opt(r.timeToFirstTokenMs), opt(r.upstreamMs),
    opt(r.cache), opt(r.script), opt(r.guardrailAction), opt(r.costUsd), r.clientGone ? 1 : 0,
  ];
}
