// The filters of GET /_basalt/calls, applied the same way to ledger rows (SQL) and to the history ring.
import type { CallRecord } from "../core/call-record.js";

export const DEFAULT_CALLS_LIMIT = 100;
export const MAX_CALLS_LIMIT = 10_000;

export interface CallFilter {
  /** Served model id, or the id as the client sent it. */
  model?: string;
  operation?: string;
  caller?: string;
  /** "ok", "error", an HTTP status ("429"), or an exception name ("ThrottlingException"). */
  status?: string;
  limit: number;
  /** Only calls that ended at or after this epoch ms (?since=). */
  endedSinceMs?: number;
  /** Only calls that arrived at or after this epoch µs (the last DELETE /_basalt/calls). */
  fromSeq?: number;
}

export type StatusMatch = { kind: "ok" } | { kind: "error" } | { kind: "http"; status: number } | { kind: "exception"; name: string };

export function parseStatus(status: string): StatusMatch {
  if (status === "ok") return { kind: "ok" };
  if (status === "error") return { kind: "error" };
  if (/^\d{3}$/.test(status)) return { kind: "http", status: Number(status) };
  return { kind: "exception", name: status };
}

export function matchesFilter(r: Readonly<CallRecord>, endedAtMs: number, seq: number, f: CallFilter): boolean {
  if (f.fromSeq !== undefined && seq < f.fromSeq) return false;
  if (f.model !== undefined && r.modelId !== f.model && r.requestedModelId !== f.model) return false;
  if (f.operation !== undefined && r.operation !== f.operation) return false;
  if (f.caller !== undefined && r.caller !== f.caller) return false;
  if (f.endedSinceMs !== undefined && endedAtMs < f.endedSinceMs) return false;
  if (f.status !== undefined) {
    const s = parseStatus(f.status);
    if (s.kind === "ok" && r.errorName !== undefined) return false;
    if (s.kind === "error" && r.errorName === undefined) return false;
    if (s.kind === "http" && r.status !== s.status) return false;
    if (s.kind === "exception" && r.errorName !== s.name) return false;
  }
  return true;
}
