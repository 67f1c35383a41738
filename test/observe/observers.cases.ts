// The in-process observers on their own: prices, the history ring, the metrics registry, the log line and
// the body decoder. The end-to-end tests (observe-e2e, console) drive the same code through a real server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { pino } from "pino";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { newCallRecord, type CallRecord } from "../../src/core/call-record.js";
import { PriceTable } from "../../src/observe/ledger/prices.js";
import { baseModelId } from "../../src/core/model-id.js";
import { BUILTIN_PRICES } from "../../src/observe/ledger/builtin-prices.js";
import { CallHistory } from "../../src/observe/history.js";
import { CallMetrics } from "../../src/observe/metrics.js";
import { CallLogLine, logFields, logLevel } from "../../src/observe/log-line.js";
import { decodeEvents, decodeRequestBody, decodeResponseBody } from "../../src/observe/decode-bodies.js";
import { isLoopbackHost, resolveObserveOptions } from "../../src/observe/observe-config.js";
import { parentContext, genAiOperation } from "../../src/observe/tracing-otel.js";
import { trace } from "@opentelemetry/api";

function call(over: Partial<CallRecord> & { requestId: string }): CallRecord {
  return { ...newCallRecord({ requestId: over.requestId, frontDoor: "bedrock", operation: "Converse" }), ...over };
}

test("prices: the config wins, then the built-in table (profile prefix and ARN stripped); unknown and echo are null", () => {
  const table = new PriceTable([["my.model", { inputPerMillion: 2, outputPerMillion: 10 }]], ["fake"]);
  assert.equal(table.costOf(call({ requestId: "1", modelId: "my.model", provider: "x", inputTokens: 1_000_000, outputTokens: 500_000 })), 7);
  // cache tokens at the input price when the config names no cache price
  assert.equal(table.costOf(call({ requestId: "2", modelId: "my.model", provider: "x", cacheReadTokens: 1_000_000 })), 2);
  const haiku = BUILTIN_PRICES["anthropic.claude-3-5-haiku-20241022-v1:0"];
  assert.equal(
    table.costOf(call({ requestId: "3", modelId: "us.anthropic.claude-3-5-haiku-20241022-v1:0", provider: "aws", inputTokens: 1000, outputTokens: 100, cacheReadTokens: 10, cacheWriteTokens: 20 })),
    (1000 * haiku.inputPerMillion + 100 * haiku.outputPerMillion + 10 * haiku.cacheReadPerMillion! + 20 * haiku.cacheWritePerMillion!) / 1e6,
  );
  assert.equal(baseModelId("arn:aws:bedrock:us-east-1:123:inference-profile/eu.amazon.nova-pro-v1:0"), "amazon.nova-pro-v1:0");
  assert.equal(table.costOf(call({ requestId: "4", modelId: "house", provider: "aws", upstreamModel: "amazon.nova-lite-v1:0", inputTokens: 1_000_000 })), 0.06);
  assert.equal(table.costOf(call({ requestId: "5", modelId: "who.knows", provider: "aws", inputTokens: 5 })), null);
  assert.equal(table.costOf(call({ requestId: "6", modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", provider: "echo", inputTokens: 5 })), null);
  assert.equal(table.costOf(call({ requestId: "7", modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", provider: "fake", inputTokens: 5 })), null);
  assert.equal(table.costOf(call({ requestId: "8", requestedModelId: "nope" })), null);
});

test("history bodies default on only for a loopback-only server", () => {
  for (const h of ["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"]) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ["0.0.0.0", "::", "192.168.1.5", "example.com"]) assert.equal(isLoopbackHost(h), false, h);
  assert.equal(resolveObserveOptions({ host: "127.0.0.1" }).history.bodies, true);
  assert.equal(resolveObserveOptions({ host: "0.0.0.0" }).history.bodies, false);
  assert.equal(resolveObserveOptions({ host: "0.0.0.0", history: { bodies: true } }).history.bodies, true);
  assert.deepEqual(resolveObserveOptions({ host: "::1" }).ledger, { enabled: true, retentionDays: 90 });
});

test("history: a ring of max calls, newest first, filtered; clear empties it; bodies only when on", () => {
  const h = new CallHistory({ bodies: true, max: 3 });
  for (let i = 1; i <= 5; i++) {
    h.observe(call({ requestId: `c${i}`, modelId: i % 2 ? "odd" : "even", requestBody: Buffer.from(JSON.stringify({ n: i })) }));
  }
  assert.deepEqual(h.list({ limit: 10 }).map((c) => c.requestId), ["c5", "c4", "c3"]);
  assert.deepEqual(h.list({ limit: 10, model: "odd" }).map((c) => c.requestId), ["c5", "c3"]);
  assert.deepEqual(h.list({ limit: 1 }).map((c) => c.requestId), ["c5"]);
  assert.deepEqual(h.list({ limit: 1 })[0].request, { n: 5 });
  assert.deepEqual(h.bodiesOf("c4"), { request: { n: 4 }, response: undefined });
  assert.equal(h.bodiesOf("c1"), undefined, "dropped out of the ring");
  const cleared = h.clear();
  assert.equal(h.size, 0);
  h.observe(call({ requestId: "after" }));
  assert.ok(h.list({ limit: 10 })[0].requestId === "after");
  assert.ok(cleared.seq < Number.MAX_SAFE_INTEGER);

  // A byte budget for bodies: the oldest calls lose their bodies, never their records.
  const small = new CallHistory({ bodies: true, max: 10 }, Date.now, 100);
  for (const id of ["b1", "b2", "b3"]) small.observe(call({ requestId: id, requestBody: Buffer.from(JSON.stringify({ pad: "x".repeat(40) })) }));
  assert.deepEqual(small.list({ limit: 10 }).map((c) => [c.requestId, c.request !== undefined]), [["b3", true], ["b2", true], ["b1", false]]);

  const off = new CallHistory({ bodies: false, max: 3 });
  off.observe(call({ requestId: "x", requestBody: Buffer.from("{}") }));
  assert.equal(off.list({ limit: 1 })[0].request, undefined);
  assert.equal(off.bodiesOf("x"), undefined);
});

test("decode: JSON and text bodies, an event stream as its events (chunk bytes decoded), a torn tail dropped", () => {
  assert.deepEqual(decodeRequestBody(Buffer.from('{"a":1}')), { a: 1 });
  assert.equal(decodeRequestBody(Buffer.from("not json")), "not json");
  assert.deepEqual(decodeResponseBody({ contentType: "application/json", body: Buffer.from('{"ok":true}') }), { ok: true });
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const frame = (type: string, payload: unknown) => codec.encode({
    headers: { ":message-type": { type: "string", value: "event" }, ":event-type": { type: "string", value: type }, ":content-type": { type: "string", value: "application/json" } },
    body: fromUtf8(JSON.stringify(payload)),
  });
  const stream = Buffer.concat([
    frame("messageStart", { role: "assistant" }),
    frame("chunk", { bytes: Buffer.from(JSON.stringify({ type: "message_stop" })).toString("base64") }),
  ]);
  assert.deepEqual(decodeEvents(stream), [{ messageStart: { role: "assistant" } }, { chunk: { bytes: { type: "message_stop" } } }]);
  assert.deepEqual(decodeEvents(stream.subarray(0, stream.length - 3)), [{ messageStart: { role: "assistant" } }]);
  assert.deepEqual(
    decodeResponseBody({ contentType: "application/vnd.amazon.eventstream", body: stream }),
    decodeEvents(stream),
  );
});

test("metrics: counters, tokens, cost and histograms per call; labels bounded; admin-free", async () => {
  let open = 3;
  const m = new CallMetrics({ processMetrics: false, openStreams: () => open });
  m.observe(call({ requestId: "1", modelId: "m", inputTokens: 10, outputTokens: 4, cacheReadTokens: 2, costUsd: 0.25, latencyMs: 12, upstreamMs: 10, status: 200 }));
  m.observe(call({ requestId: "2", modelId: "m", operation: "ConverseStream", errorName: "ThrottlingException", latencyMs: 3, timeToFirstTokenMs: 1 }));
  m.observe(call({ requestId: "3", requestedModelId: "arn:aws:bedrock:us-east-1:1:foundation-model/x", errorName: "ValidationException", latencyMs: 1 }));
  m.observe(call({ requestId: "4", modelId: "m", latencyMs: 30, attempts: [
    { provider: "up", upstreamModel: "u", outcome: "ThrottlingException", status: 429, durationMs: 5 },
    { provider: "up", upstreamModel: "u", outcome: "ok", status: 200, durationMs: 20 },
  ] }));
  m.observe(call({ requestId: "5", modelId: "m", operation: "ConverseStream", clientGone: true, status: 200, latencyMs: 4 }));
  const text = (await m.exposition()).body;
  assert.match(text, /^basalt_requests_total\{operation="Converse",model="m",status="ok"\} 2$/m);
  assert.match(text, /^basalt_requests_total\{operation="ConverseStream",model="m",status="client_gone"\} 1$/m);
  assert.match(text, /^basalt_requests_total\{operation="ConverseStream",model="m",status="ThrottlingException"\} 1$/m);
  assert.match(text, /^basalt_requests_total\{operation="Converse",model="unknown",status="ValidationException"\} 1$/m, "an unresolved id is not a label");
  assert.doesNotMatch(text, /arn:aws/);
  assert.match(text, /^basalt_tokens_total\{model="m",type="input"\} 10$/m);
  assert.match(text, /^basalt_tokens_total\{model="m",type="output"\} 4$/m);
  assert.match(text, /^basalt_tokens_total\{model="m",type="cache_read"\} 2$/m);
  assert.match(text, /^basalt_cost_usd_total\{model="m"\} 0.25$/m);
  assert.match(text, /^basalt_request_duration_seconds_count\{operation="Converse",model="m"\} 2$/m);
  assert.match(text, /^basalt_time_to_first_token_seconds_count\{operation="ConverseStream",model="m"\} 1$/m);
  assert.match(text, /^basalt_upstream_duration_seconds_count\{provider="up"\} 2$/m);
  assert.match(text, /^basalt_upstream_duration_seconds_sum\{provider="up"\} 0.025$/m);
  // Buckets are cumulative: 12 ms and 30 ms fall under le=0.025 and le=0.05 respectively.
  assert.match(text, /^basalt_request_duration_seconds_bucket\{le="0.01",operation="Converse",model="m"\} 0$/m);
  assert.match(text, /^basalt_request_duration_seconds_bucket\{le="0.025",operation="Converse",model="m"\} 1$/m);
  assert.match(text, /^basalt_request_duration_seconds_bucket\{le="0.05",operation="Converse",model="m"\} 2$/m);
  assert.match(text, /^basalt_request_duration_seconds_bucket\{le="\+Inf",operation="Converse",model="m"\} 2$/m);
  assert.doesNotMatch(text, /type="cache_write"/, "a series appears once it has been updated");
  assert.match(text, /^basalt_upstream_attempts_total\{provider="up",outcome="ThrottlingException"\} 1$/m);
  // call 1: 12 ms - 10 ms upstream; call 3: 1 ms, no upstream; call 4: 30 - (5 + 20): Basalt's own time
  assert.match(text, /^basalt_overhead_seconds_sum\{operation="Converse"\} 0.008$/m);
  assert.match(text, /^basalt_streams_open 3$/m);
  open = 0;
  assert.match((await m.exposition()).body, /^basalt_streams_open 0$/m);

  for (let i = 0; i < 300; i++) m.observe(call({ requestId: `b${i}`, modelId: `model-${i}` }));
  const many = (await m.exposition()).body;
  const modelLabels = new Set([...many.matchAll(/basalt_requests_total\{[^}]*model="([^"]+)"/g)].map((x) => x[1]));
  assert.ok(modelLabels.size <= 202, `200 model ids, "unknown" and "other" (${modelLabels.size})`);
  assert.ok(modelLabels.has("other"));
});

test("log line: the record's fields, a level by outcome, no body", async () => {
  const lines: Record<string, unknown>[] = [];
  // The lines of one event-loop turn arrive in one write.
  const sink = new Writable({ write(chunk, _e, cb) { for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l)); cb(); } });
  const logger = pino({ level: "info", base: undefined }, sink);
  const line = new CallLogLine(logger);
  const ok = call({
    requestId: "r1", operation: "ConverseStream", caller: "ci", requestedModelId: "us.m", modelId: "m", provider: "p", upstreamModel: "u",
    status: 200, latencyMs: 40, timeToFirstTokenMs: 5, inputTokens: 3, outputTokens: 2, stopReason: "end_turn",
    attempts: [{ provider: "p", upstreamModel: "u", outcome: "ok", durationMs: 30 }],
    requestBody: Buffer.from('{"secret":"do-not-log"}'), responseBody: { contentType: "application/json", body: Buffer.from("{}") },
  });
  line.observe(ok);
  line.observe(call({ requestId: "r2", status: 400, errorName: "ValidationException", errorMessage: "bad" }));
  line.observe(call({ requestId: "r3", status: 503, errorName: "ServiceUnavailableException", errorCause: ["TypeError: fetch failed", "Error: connect ECONNREFUSED 127.0.0.1:1"] }));
  line.observe(call({ requestId: "r4", frontDoor: "admin", status: 200 }));
  assert.equal(lines.length, 0, "written at the end of the turn");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lines.length, 3, "admin calls log at debug");
  assert.equal(lines[0].level, 30);
  assert.equal(lines[0].requestId, "r1");
  assert.equal(lines[0].modelId, "us.m");
  assert.equal(lines[0].servedModel, "m");
  assert.equal(lines[0].upstreamModel, "u");
  assert.equal(lines[0].caller, "ci");
  assert.equal(lines[0].ttftMs, 5);
  assert.equal(lines[0].attempts, 1);
  assert.equal(lines[0].msg, "ConverseStream m 200 40ms");
  assert.doesNotMatch(JSON.stringify(lines), /do-not-log/);
  assert.equal(lines[1].level, 40);
  assert.equal(lines[1].error, "ValidationException");
  assert.equal(lines[2].level, 50);
  assert.equal(lines[2].cause, "TypeError: fetch failed <- Error: connect ECONNREFUSED 127.0.0.1:1");
  assert.equal(logLevel(call({ requestId: "x", clientGone: true })), "warn");
  assert.equal(logFields(call({ requestId: "y" })).servedModel, undefined);
});

test("tracing helpers: traceparent parsing and gen_ai.operation.name", () => {
  const ctx = parentContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const sc = trace.getSpanContext(ctx);
  assert.equal(sc?.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
  assert.equal(sc?.spanId, "00f067aa0ba902b7");
  assert.equal(sc?.isRemote, true);
  for (const bad of [undefined, "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]) {
    assert.equal(trace.getSpanContext(parentContext(bad)), undefined, String(bad));
  }
  assert.equal(genAiOperation("ConverseStream"), "chat");
  assert.equal(genAiOperation("InvokeModel"), "chat");
  assert.equal(genAiOperation("CountTokens"), "count_tokens");
});

test("a request body the history keeps holds its own bytes, not the socket read it came in", async () => {
  const { compactCopy } = await import("../../src/server/call-context.js");
  // A socket read is a buffer of its own, as long as what arrived.
  const text = `POST /model/x/converse HTTP/1.1\r\nhost: h\r\n${"x-h: v\r\n".repeat(200)}\r\n{"messages":[]}`;
  const read = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  read.write(text);
  const body = read.subarray(read.length - 15);
  const kept = compactCopy(body);
  assert.equal(kept.toString(), '{"messages":[]}');
  assert.ok(kept.buffer.byteLength < read.buffer.byteLength, `${kept.buffer.byteLength} < ${read.buffer.byteLength}`);
  const whole = Buffer.alloc(100, 1);
  assert.equal(compactCopy(whole), whole, "a body that is most of its buffer is kept as it is");
});
