// GET /_basalt/usage: totals per group over a time range, in portable SQL. Percentiles are nearest-rank,
// picked with ROW_NUMBER/COUNT window functions (SQLite ≥ 3.25 and Postgres both have them), so no latency
// list leaves the database. Time buckets are epoch-ms arithmetic, labelled in JS.
import type { SqlDatabase, SqlValue } from "../../storage/sql-database.js";
import { LEDGER_TABLE } from "./ledger-schema.js";

export const USAGE_DIMENSIONS = ["model", "caller", "operation", "frontDoor", "day", "hour", "minute"] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

const BUCKET_MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000 } as const;

const DIMENSION_SQL: Record<UsageDimension, string> = {
  model: "COALESCE(model, requested_model, '')",
  caller: "caller",
  operation: "operation",
  frontDoor: "front_door",
  day: `started_at - (started_at % ${BUCKET_MS.day})`,
  hour: `started_at - (started_at % ${BUCKET_MS.hour})`,
  minute: `started_at - (started_at % ${BUCKET_MS.minute})`,
};

export interface UsageQuery {
  groupBy: readonly UsageDimension[];
  fromMs?: number;
  toMs?: number;
  model?: string;
  caller?: string;
  operation?: string;
}

export interface UsageRow {
  /** The group's label: the dimensions' values joined with " / ". */
  group: string;
  /** Each dimension's value by name (day: "2025-06-01", hour/minute: an ISO time). */
  [dimension: string]: string | number | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Sum over the calls with a known price; null when none had one. */
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

function label(dim: UsageDimension, value: unknown): string {
  if (dim === "day") return new Date(Number(value)).toISOString().slice(0, 10);
  if (dim === "hour" || dim === "minute") return new Date(Number(value)).toISOString().slice(0, 16) + "Z";
  return String(value ?? "");
}

export async function queryUsage(db: SqlDatabase, q: UsageQuery): Promise<UsageRow[]> {
  const params: SqlValue[] = [];
  const where: string[] = [];
  const bind = (v: SqlValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  // seq is the arrival in µs and indexed: time ranges go through it.
  if (q.fromMs !== undefined) where.push(`seq >= ${bind(Math.ceil(q.fromMs) * 1000)}`);
  if (q.toMs !== undefined) where.push(`seq < ${bind(Math.ceil(q.toMs) * 1000)}`);
  if (q.model !== undefined) {
    const p = bind(q.model);
    where.push(`(model = ${p} OR requested_model = ${p})`);
  }
  if (q.caller !== undefined) where.push(`caller = ${bind(q.caller)}`);
  if (q.operation !== undefined) where.push(`operation = ${bind(q.operation)}`);
  const whereSql = where.length ? ` WHERE ${where.join(" AND ")}` : "";
  const dims = q.groupBy.map((d, i) => `${DIMENSION_SQL[d]} AS g${i}`);
  const positions = q.groupBy.map((_, i) => i + 1).join(", ");
  const totalsSql =
    `SELECT ${dims.join(", ")}, COUNT(*) AS requests,` +
    ` SUM(CASE WHEN error_name IS NULL THEN 0 ELSE 1 END) AS errors,` +
    ` SUM(COALESCE(input_tokens, 0)) AS input_tokens, SUM(COALESCE(output_tokens, 0)) AS output_tokens,` +
    ` SUM(COALESCE(cache_read_tokens, 0)) AS cache_read_tokens, SUM(COALESCE(cache_write_tokens, 0)) AS cache_write_tokens,` +
    ` SUM(cost_usd) AS cost_usd` +
    ` FROM ${LEDGER_TABLE}${whereSql} GROUP BY ${positions} ORDER BY ${positions}`;
  const partition = q.groupBy.map((d) => DIMENSION_SQL[d]).join(", ");
  const gCols = q.groupBy.map((_, i) => `g${i}`).join(", ");
  const percentileSql =
    `SELECT ${gCols}, latency_ms, rn, cnt FROM (SELECT ${dims.join(", ")}, latency_ms,` +
    ` ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY latency_ms) AS rn,` +
    ` COUNT(*) OVER (PARTITION BY ${partition}) AS cnt` +
    ` FROM ${LEDGER_TABLE}${whereSql}${where.length ? " AND" : " WHERE"} latency_ms IS NOT NULL) ranked` +
    ` WHERE rn = (cnt * 50 + 99) / 100 OR rn = (cnt * 95 + 99) / 100`;
  const [totals, ranks] = await Promise.all([db.query(totalsSql, params), db.query(percentileSql, params)]);

  const keyOf = (row: Record<string, unknown>) => q.groupBy.map((_, i) => String(row[`g${i}`])).join("\u0000");
  const percentiles = new Map<string, { p50: number | null; p95: number | null }>();
  for (const r of ranks) {
    const cnt = Number(r.cnt);
    const rn = Number(r.rn);
    const entry = percentiles.get(keyOf(r)) ?? { p50: null, p95: null };
    if (rn === Math.floor((cnt * 50 + 99) / 100)) entry.p50 = Number(r.latency_ms);
    if (rn === Math.floor((cnt * 95 + 99) / 100)) entry.p95 = Number(r.latency_ms);
    percentiles.set(keyOf(r), entry);
  }
  return totals.map((t) => {
    const labels = q.groupBy.map((d, i) => label(d, t[`g${i}`]));
    const p = percentiles.get(keyOf(t));
    const row: UsageRow = {
      group: labels.join(" / "),
      requests: Number(t.requests),
      errors: Number(t.errors),
      inputTokens: Number(t.input_tokens),
      outputTokens: Number(t.output_tokens),
      cacheReadTokens: Number(t.cache_read_tokens),
      cacheWriteTokens: Number(t.cache_write_tokens),
      costUsd: t.cost_usd === null || t.cost_usd === undefined ? null : roundUsd(Number(t.cost_usd)),
      p50LatencyMs: p?.p50 ?? null,
      p95LatencyMs: p?.p95 ?? null,
    };
    q.groupBy.forEach((d, i) => (row[d] = labels[i]));
    return row;
  });
}

const roundUsd = (usd: number): number => Math.round(usd * 1e12) / 1e12;

const CSV_COLUMNS = [
  "requests", "errors", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd",
  "p50LatencyMs", "p95LatencyMs",
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: a header line, then one line per group; the dimensions first, then the totals. */
export function usageToCsv(rows: readonly UsageRow[], groupBy: readonly UsageDimension[]): string {
  const header = ["group", ...groupBy, ...CSV_COLUMNS];
  const lines = [header.join(",")];
  for (const r of rows) lines.push(header.map((h) => csvCell(r[h])).join(","));
  return lines.join("\r\n") + "\r\n";
}
