// What /_basalt/usage, /_basalt/calls and /metrics must say after runMix — shared by the SQLite test (one
// node) and the Postgres test (two nodes, one ledger).
import assert from "node:assert/strict";
import { expectedUsage, servedModel, type MadeCall } from "./call-mix.js";

/** A Basalt node as the admin API sees it: its URL and the admin key when auth is on. */
export interface AdminTarget {
  url: string;
  adminKey?: string;
}

export function adminFetch(node: AdminTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (node.adminKey) headers.set("authorization", `Bearer ${node.adminKey}`);
  return fetch(node.url + path, { ...init, headers });
}

export async function getJson<T = unknown>(node: AdminTarget, path: string, init?: RequestInit): Promise<T> {
  const url = node.url + path;
  const res = await adminFetch(node, path, init);
  const body = await res.text();
  assert.equal(res.status, 200, `${init?.method ?? "GET"} ${url}: ${res.status} ${body}`);
  return JSON.parse(body) as T;
}

interface UsageRow {
  group: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export async function checkUsage(node: AdminTarget, made: readonly MadeCall[], groupBy: "model" | "caller" | "operation", key: (m: MadeCall) => string): Promise<void> {
  const rows = await getJson<UsageRow[]>(node, `/_basalt/usage?groupBy=${groupBy}`);
  const expected = expectedUsage(made, key);
  assert.deepEqual(rows.map((r) => r.group).sort(), [...expected.keys()].sort(), `groups by ${groupBy}`);
  for (const row of rows) {
    const e = expected.get(row.group)!;
    assert.deepEqual(
      { requests: row.requests, errors: row.errors, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd },
      e,
      `usage of ${groupBy} ${row.group}`,
    );
    assert.equal(row.cacheReadTokens, 0);
    assert.equal(typeof row.p50LatencyMs, "number");
    assert.ok(row.p95LatencyMs! >= row.p50LatencyMs!);
  }
}

export async function checkUsageCsv(node: AdminTarget, made: readonly MadeCall[]): Promise<void> {
  const res = await adminFetch(node, "/_basalt/usage?groupBy=model&format=csv");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/csv/);
  const lines = (await res.text()).trimEnd().split("\r\n");
  assert.equal(lines[0], "group,model,requests,errors,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,costUsd,p50LatencyMs,p95LatencyMs");
  const echo = lines.find((l) => l.startsWith("basalt.echo,"))!.split(",");
  const e = expectedUsage(made, servedModel).get("basalt.echo")!;
  assert.deepEqual(echo.slice(2, 6).map(Number), [e.requests, e.errors, e.inputTokens, e.outputTokens]);
}

interface CallView {
  requestId: string;
  caller: string;
  operation: string;
  modelId?: string;
  requestedModelId?: string;
  errorName?: string;
  inputTokens?: number;
  outputTokens?: number;
  attempts: { provider: string; outcome: string }[];
  request?: unknown;
  response?: unknown;
}

/** Newest first, each with the right operation, model, outcome and (bodies on) the request as sent. */
export async function checkCalls(node: AdminTarget, made: readonly MadeCall[], opts: { bodies: boolean }): Promise<CallView[]> {
  const calls = await getJson<CallView[]>(node, `/_basalt/calls?limit=${made.length}`);
  assert.deepEqual(calls.map((c) => c.requestId), [...made].reverse().map((m) => m.requestId), "newest first, one per call");
  for (const c of calls) {
    const m = made.find((x) => x.requestId === c.requestId)!;
    assert.equal(c.operation, m.operation);
    assert.equal(c.caller, m.caller);
    assert.equal(c.requestedModelId, m.model);
    assert.equal(c.errorName ?? "ok", m.status, `outcome of ${m.operation} ${m.model}`);
    if (m.status === "ok" && m.operation !== "CountTokens") {
      assert.equal(c.inputTokens, m.inputTokens);
      assert.equal(c.outputTokens, m.outputTokens);
    }
    if (m.model !== "no.such.model") assert.equal(c.attempts.length, 1, `one upstream attempt for ${m.operation} ${m.model}`);
    if (opts.bodies) assert.deepEqual(c.request, m.request, `request body of ${m.operation}`);
    else assert.equal(c.request, undefined);
  }
  return calls;
}

/** Parses the Prometheus text format strictly: every line a comment, blank, or `name{labels} value`. */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?(?:[0-9.e+-]+|NaN|\+Inf|-Inf))(?: -?\d+)?$/;
  for (const l of text.split("\n")) {
    if (l === "" || l.startsWith("# HELP ") || l.startsWith("# TYPE ")) continue;
    const m = line.exec(l);
    assert.ok(m, `not a Prometheus sample line: ${l}`);
    const value = m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]);
    assert.ok(!Number.isNaN(value) || m[3] === "NaN", l);
    samples.set(m[1] + (m[2] ?? ""), value);
  }
  return samples;
}

/** basalt_requests_total and basalt_tokens_total agree with the calls made on this node. */
export async function checkMetrics(node: AdminTarget, made: readonly MadeCall[]): Promise<Map<string, number>> {
  const res = await adminFetch(node, "/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const samples = parsePrometheus(await res.text());
  const count = new Map<string, number>();
  const tokens = new Map<string, number>();
  for (const m of made) {
    const model = m.model === "no.such.model" ? "unknown" : servedModel(m);
    const key = `basalt_requests_total{operation="${m.operation}",model="${model}",status="${m.status}"}`;
    count.set(key, (count.get(key) ?? 0) + 1);
    for (const [type, n] of [["input", m.inputTokens], ["output", m.outputTokens]] as const) {
      if (!n) continue;
      const k = `basalt_tokens_total{model="${model}",type="${type}"}`;
      tokens.set(k, (tokens.get(k) ?? 0) + n);
    }
  }
  const actual = (prefix: string) => new Map([...samples].filter(([k]) => k.startsWith(prefix)));
  assert.deepEqual(actual("basalt_requests_total{"), count);
  assert.deepEqual(actual("basalt_tokens_total{"), tokens);
  for (const name of [
    "basalt_request_duration_seconds_count", "basalt_time_to_first_token_seconds_count", "basalt_upstream_duration_seconds_count",
    "basalt_overhead_seconds_count", "basalt_cost_usd_total",
  ]) {
    assert.ok([...samples.keys()].some((k) => k.startsWith(name)), `${name} is exposed`);
  }
  assert.equal(samples.get("basalt_streams_open"), 0);
  return samples;
}
