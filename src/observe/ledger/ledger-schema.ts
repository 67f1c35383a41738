// The ledger's one table, in the SQL subset SQLite and Postgres share (BIGINT epoch-ms times, DOUBLE
// PRECISION for ms and USD, TEXT for JSON). One row per call; a batch goes in as multi-row INSERTs, each
// atomic, and only the chunks not yet written are retried, so a retry never repeats a row. The one index is
// on seq (arrival in µs): the newest-first list, time ranges and retention all use it. Request ids are not
// a key: a random UUID key made each insert cost more than all the rest of the row (observe-005 drops it).
import type { CallRecord } from "../../core/call-record.js";
import type { SqlValue } from "../../storage/sql-database.js";

export const LEDGER_TABLE = "basalt_call_ledger";

const COLUMNS_DDL = `
  request_id TEXT NOT NULL,
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
`;

// Migrations are history: 001 keeps the DDL it was first applied with (request_id as the key) even though
// COLUMNS_DDL above says the same columns again — a database records 001 by name, so its text never changes.
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
  // seq is the arrival in µs, so one index serves time ranges (usage, retention) and the newest-first list:
  // every row inserted then updates two b-trees (primary key, seq) instead of three.
  { name: "observe-004-ledger-one-time-index", sql: `DROP INDEX IF EXISTS ${LEDGER_TABLE}_started` },
  {
    name: "observe-005-ledger-without-request-id-key",
    sql: [
      `CREATE TABLE ${LEDGER_TABLE}_next (${COLUMNS_DDL})`,
      `INSERT INTO ${LEDGER_TABLE}_next SELECT * FROM ${LEDGER_TABLE}`,
      `DROP TABLE ${LEDGER_TABLE}`,
      `ALTER TABLE ${LEDGER_TABLE}_next RENAME TO ${LEDGER_TABLE}`,
      `CREATE INDEX IF NOT EXISTS ${LEDGER_TABLE}_seq ON ${LEDGER_TABLE} (seq)`,
    ].join(";\n"),
  },
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

// Postgres TEXT refuses NUL characters: text that came from outside (the model id a client sent, an
// upstream's error message) loses them, so one odd call cannot make a whole batch fail forever.
const foreign = (v: string | undefined): SqlValue => (v === undefined ? null : v.includes("\u0000") ? v.replaceAll("\u0000", "") : v);

/**
 * The attempts column: NULL for the common case, one successful try of the call's own provider and model
 * (rebuilt on read from provider, upstream_model and upstream_ms: see plainAttempt), JSON otherwise. Turning
 * an array of objects into JSON was the largest cost of a row.
 */
function attemptsColumn(r: Readonly<CallRecord>): string | null {
  const a = r.attempts;
  if (a.length === 0) return null;
  if (a.length === 1 && isPlain(a[0], r)) return null;
  return JSON.stringify(a);
}

function isPlain(a: CallRecord["attempts"][number], r: Readonly<CallRecord>): boolean {
  return a.outcome === "ok" && a.provider === r.provider && a.upstreamModel === r.upstreamModel && a.status === undefined &&
    a.delayMs === undefined && a.durationMs !== undefined && a.durationMs === r.upstreamMs;
}

/** The one successful attempt a NULL attempts column stands for, when the call had upstream time. */
export function plainAttempt(provider: string | undefined, upstreamModel: string | undefined, upstreamMs: number | undefined): CallRecord["attempts"] {
  return provider !== undefined && upstreamModel !== undefined && upstreamMs !== undefined
    ? [{ provider, upstreamModel, outcome: "ok", durationMs: upstreamMs }]
    : [];
}

/** Appends a row's values, in LEDGER_COLUMNS order (straight into the statement's parameter list). */
export function pushRow(out: SqlValue[], { record: r, seq, endedAtMs }: LedgerEntry): void {
  out.push(
    r.requestId, seq, r.startedAtMs, endedAtMs, r.frontDoor, r.operation, r.caller, foreign(r.requestedModelId),
    r.modelId ?? null, r.provider ?? null, r.upstreamModel ?? null, attemptsColumn(r),
    r.status ?? null, r.errorName ?? null, foreign(r.errorMessage), r.stopReason ?? null, r.inputTokens ?? null,
    r.outputTokens ?? null, r.cacheReadTokens ?? null, r.cacheWriteTokens ?? null, r.latencyMs ?? null,
    r.timeToFirstTokenMs ?? null, r.upstreamMs ?? null, r.cache ?? null, r.script ?? null, r.guardrailAction ?? null,
    r.costUsd ?? null, r.clientGone ? 1 : 0,
  );
}
