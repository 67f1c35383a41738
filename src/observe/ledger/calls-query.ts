// GET /_basalt/calls from the ledger: the newest calls first (by arrival in µs, see call-order.ts).
import type { SqlDatabase, SqlValue } from "../../storage/sql-database.js";
import { parseStatus, type CallFilter } from "../call-filter.js";
import { ledgerRowToView, type CallView } from "../call-view.js";
import { LEDGER_TABLE } from "./ledger-schema.js";

export async function queryCalls(db: SqlDatabase, f: CallFilter): Promise<CallView[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const bind = (v: SqlValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.model !== undefined) {
    const p = bind(f.model);
    where.push(`(model = ${p} OR requested_model = ${p})`);
  }
  if (f.operation !== undefined) where.push(`operation = ${bind(f.operation)}`);
  if (f.caller !== undefined) where.push(`caller = ${bind(f.caller)}`);
  if (f.endedSinceMs !== undefined) where.push(`ended_at >= ${bind(f.endedSinceMs)}`);
  if (f.fromSeq !== undefined) where.push(`seq >= ${bind(f.fromSeq)}`);
  if (f.status !== undefined) {
    const s = parseStatus(f.status);
    if (s.kind === "ok") where.push("error_name IS NULL");
    else if (s.kind === "error") where.push("error_name IS NOT NULL");
    else if (s.kind === "http") where.push(`status = ${bind(s.status)}`);
    else where.push(`error_name = ${bind(s.name)}`);
  }
  const sql =
    `SELECT * FROM ${LEDGER_TABLE}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}` +
    ` ORDER BY seq DESC, request_id DESC LIMIT ${bind(f.limit)}`;
  const rows = await db.query(sql, params);
  return rows.map(ledgerRowToView);
}
