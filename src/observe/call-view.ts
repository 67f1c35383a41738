// One call as /_basalt/calls and the console show it: the CallRecord's fields under the same names, times as
// ISO strings, absent fields left out (costUsd stays, null meaning "no known price"). Built from a record in
// memory (history ring) or from a ledger row, so both sources give the same JSON.
import type { AttemptRecord, CallRecord } from "../core/call-record.js";
import { plainAttempt } from "./ledger/ledger-schema.js";

export interface CallView {
  requestId: string;
  startedAt: string;
  endedAt: string;
  frontDoor: string;
  operation: string;
  caller: string;
  requestedModelId?: string;
  modelId?: string;
  provider?: string;
  upstreamModel?: string;
  attempts: AttemptRecord[];
  status?: number;
  errorName?: string;
  errorMessage?: string;
  stopReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  upstreamMs?: number;
  cache?: "hit" | "miss";
  script?: string;
  guardrailAction?: string;
  costUsd: number | null;
  clientGone: boolean;
  /** Decoded request body (history bodies on, call still in the ring). */
  request?: unknown;
  /** Decoded response: the JSON answer, or a stream's events in order. */
  response?: unknown;
}

function put<K extends keyof CallView>(view: CallView, key: K, value: CallView[K] | undefined | null): void {
  if (value !== undefined && value !== null) view[key] = value;
}

export function recordToView(r: Readonly<CallRecord>, endedAtMs: number): CallView {
  const view: CallView = {
    requestId: r.requestId,
    startedAt: new Date(r.startedAtMs).toISOString(),
    endedAt: new Date(endedAtMs).toISOString(),
    frontDoor: r.frontDoor,
    operation: r.operation,
    caller: r.caller,
    attempts: [...r.attempts],
    costUsd: r.costUsd ?? null,
    clientGone: r.clientGone === true,
  };
  put(view, "requestedModelId", r.requestedModelId);
  put(view, "modelId", r.modelId);
  put(view, "provider", r.provider);
  put(view, "upstreamModel", r.upstreamModel);
  put(view, "status", r.status);
  put(view, "errorName", r.errorName);
  put(view, "errorMessage", r.errorMessage);
  put(view, "stopReason", r.stopReason);
  put(view, "inputTokens", r.inputTokens);
  put(view, "outputTokens", r.outputTokens);
  put(view, "cacheReadTokens", r.cacheReadTokens);
  put(view, "cacheWriteTokens", r.cacheWriteTokens);
  put(view, "latencyMs", r.latencyMs);
  put(view, "timeToFirstTokenMs", r.timeToFirstTokenMs);
  put(view, "upstreamMs", r.upstreamMs);
  put(view, "cache", r.cache);
  put(view, "script", r.script);
  put(view, "guardrailAction", r.guardrailAction);
  return view;
}

// Postgres returns BIGINT as a string; both drivers give null for SQL NULL.
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function ledgerRowToView(row: Record<string, unknown>): CallView {
  const view: CallView = {
    requestId: String(row.request_id),
    startedAt: new Date(Number(row.started_at)).toISOString(),
    endedAt: new Date(Number(row.ended_at)).toISOString(),
    frontDoor: String(row.front_door),
    operation: String(row.operation),
    caller: String(row.caller),
    attempts: row.attempts
      ? (JSON.parse(String(row.attempts)) as AttemptRecord[])
      : plainAttempt(str(row.provider), str(row.upstream_model), num(row.upstream_ms)),
    costUsd: num(row.cost_usd) ?? null,
    clientGone: Number(row.client_gone) === 1,
  };
  put(view, "requestedModelId", str(row.requested_model));
  put(view, "modelId", str(row.model));
  put(view, "provider", str(row.provider));
  put(view, "upstreamModel", str(row.upstream_model));
  put(view, "status", num(row.status));
  put(view, "errorName", str(row.error_name));
  put(view, "errorMessage", str(row.error_message));
  put(view, "stopReason", str(row.stop_reason));
  put(view, "inputTokens", num(row.input_tokens));
  put(view, "outputTokens", num(row.output_tokens));
  put(view, "cacheReadTokens", num(row.cache_read_tokens));
  put(view, "cacheWriteTokens", num(row.cache_write_tokens));
  put(view, "latencyMs", num(row.latency_ms));
  put(view, "timeToFirstTokenMs", num(row.ttft_ms));
  put(view, "upstreamMs", num(row.upstream_ms));
  put(view, "cache", str(row.cache) as CallView["cache"]);
  put(view, "script", str(row.script));
  put(view, "guardrailAction", str(row.guardrail_action));
  return view;
}
