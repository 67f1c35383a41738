// OpenTelemetry through a real OTLP receiver (node:http, decoding OTLP/JSON): one SERVER span per call with
// the GenAI attributes, a CLIENT child per upstream attempt, the client's traceparent honoured, errors as
// span status. Also: http/protobuf reaches the receiver, and without the variable no OTel code is loaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import { readFileSync } from "node:fs";
import { type AddressInfo } from "node:net";
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { h2Client } from "../helpers/clients.js";
import { createTracing, tracingEnabled } from "../../src/observe/tracing.js";

interface OtlpAttr { key: string; value: { stringValue?: string; intValue?: string | number; arrayValue?: { values: { stringValue?: string }[] } } }
interface OtlpSpan {
  traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number;
  startTimeUnixNano: string; endTimeUnixNano: string; attributes: OtlpAttr[]; status?: { code?: number; message?: string };
}

async function receiver() {
  const requests: { contentType: string; body: Buffer }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") requests.push({ contentType: String(req.headers["content-type"]), body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": String(req.headers["content-type"]) }).end(req.headers["content-type"]?.includes("json") ? "{}" : "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

// OTLP/JSON ids are hex; accept base64 too, as some exporters send it.
const hex = (id: string | undefined) => (id === undefined || id === "" ? undefined : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, "base64").toString("hex"));

function spansOf(requests: { body: Buffer }[]): OtlpSpan[] {
  return requests.flatMap((r) => {
    const doc = JSON.parse(r.body.toString()) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
    return doc.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).map((s) => ({ ...s, traceId: hex(s.traceId)!, spanId: hex(s.spanId)!, parentSpanId: hex(s.parentSpanId) }));
  });
}

function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if (v.arrayValue) return v.arrayValue.values.map((x) => x.stringValue);
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined);
}

function withTraceparent(client: BedrockRuntimeClient, traceparent: string): BedrockRuntimeClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers.traceparent = traceparent;
      return next(args);
    },
    { step: "build", name: "traceparent" },
  );
  return client;
}

async function waitFor<T>(what: string, get: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("OTLP http/json: one GenAI span per call, a child per attempt, traceparent honoured, errors as status", async () => {
  const otlp = await receiver();
  const basalt = await startBasalt({
    config: writeConfig("server: { ledger: { enabled: false } }\n"),
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_BSP_SCHEDULE_DELAY: "100", OTEL_SERVICE_NAME: "basalt-test" },
  });
  try {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentId = "00f067aa0ba902b7";
    const traced = withTraceparent(h2Client(basalt.url), `00-${traceId}-${parentId}-01`);
    const plain = h2Client(basalt.url);
    const one = await traced.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "one two three" }] }] }));
    const stream = await plain.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "four five" }] }] }));
    for await (const _ of stream.stream!) void _;
    const failed = await plain.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "/error ModelTimeoutException too slow" }] }] })).then(
      () => assert.fail("expected an error"),
      (err: { $metadata: { requestId: string } }) => err,
    );
    traced.destroy();
    plain.destroy();

    const callSpans = await waitFor("three call spans", () => {
      const s = spansOf(otlp.requests).filter((x) => x.kind === 2);
      return s.length >= 3 ? s : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    const all = spansOf(otlp.requests);
    assert.equal(all.filter((x) => x.kind === 2).length, 3, "one SERVER span per call");
    assert.ok(otlp.requests.every((r) => r.contentType.startsWith("application/json")));

    const byRequest = (id: string) => callSpans.find((s) => attr(s, "basalt.request_id") === id)!;
    const s1 = byRequest(one.$metadata.requestId!);
    assert.equal(s1.name, "chat basalt.echo");
    assert.equal(s1.traceId, traceId, "joins the client's trace");
    assert.equal(s1.parentSpanId, parentId);
    assert.equal(attr(s1, "gen_ai.operation.name"), "chat");
    assert.equal(attr(s1, "gen_ai.provider.name"), "basalt.echo");
    assert.equal(attr(s1, "gen_ai.request.model"), "basalt.echo");
    assert.equal(attr(s1, "gen_ai.response.model"), "basalt.echo");
    assert.equal(attr(s1, "gen_ai.usage.input_tokens"), 3);
    assert.equal(attr(s1, "gen_ai.usage.output_tokens"), 3);
    assert.deepEqual(attr(s1, "gen_ai.response.finish_reasons"), ["end_turn"]);
    assert.notEqual(s1.status?.code, 2);

    const s2 = byRequest(stream.$metadata.requestId!);
    assert.equal(s2.parentSpanId, undefined, "no traceparent: a root span");
    assert.notEqual(s2.traceId, traceId);
    assert.equal(attr(s2, "basalt.operation"), "ConverseStream");
    assert.equal(attr(s2, "gen_ai.usage.output_tokens"), 2);
    assert.equal(typeof attr(s2, "basalt.time_to_first_token_ms"), "number");

    const s3 = byRequest(failed.$metadata.requestId);
    assert.equal(s3.status?.code, 2, "an error is the span's status");
    assert.equal(attr(s3, "error.type"), "ModelTimeoutException");

    for (const call of [s1, s2, s3]) {
      const children = all.filter((x) => x.parentSpanId === call.spanId);
      assert.equal(children.length, 1, `one attempt span under ${call.name}`);
      assert.equal(children[0].kind, 3, "CLIENT");
      assert.equal(children[0].traceId, call.traceId);
      assert.equal(attr(children[0], "gen_ai.provider.name"), "basalt.echo");
      assert.ok(BigInt(children[0].startTimeUnixNano) >= BigInt(call.startTimeUnixNano));
      assert.ok(BigInt(children[0].endTimeUnixNano) <= BigInt(call.endTimeUnixNano));
    }
    assert.equal(attr(all.find((x) => x.parentSpanId === s3.spanId)!, "basalt.attempt.outcome"), "ModelTimeoutException");
  } finally {
    await basalt.stop();
    await otlp.close();
  }
});

test("OTLP http/protobuf: the spans arrive as protobuf", async () => {
  const otlp = await receiver();
  const basalt = await startBasalt({
    config: writeConfig("server: { ledger: { enabled: false } }\n"),
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf", OTEL_BSP_SCHEDULE_DELAY: "100" },
  });
  try {
    const client = h2Client(basalt.url);
    await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "proto" }] }] }));
    client.destroy();
    const req = await waitFor("a protobuf export", () => otlp.requests[0]);
    assert.equal(req.contentType, "application/x-protobuf");
    // Protobuf strings are their UTF-8 bytes: the span name and attribute keys are in the body.
    assert.ok(req.body.includes(Buffer.from("chat basalt.echo")));
    assert.ok(req.body.includes(Buffer.from("gen_ai.request.model")));
  } finally {
    await basalt.stop();
    await otlp.close();
  }
});

test("without OTEL_EXPORTER_OTLP_ENDPOINT no tracer exists and nothing imports the SDK statically", async () => {
  assert.equal(tracingEnabled({}), false);
  assert.equal(await createTracing({ providerTypes: new Map() }, {}), undefined);
  assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_SDK_DISABLED: "true" }), false);
  // Only tracing-otel.ts (loaded by a dynamic import) may import the OTel packages.
  for (const file of ["tracing.ts", "observe-stack.ts", "metrics.ts", "log-line.ts", "history.ts"]) {
    const source = readFileSync(new URL(`../../src/observe/${file}`, import.meta.url), "utf8");
    assert.doesNotMatch(source, /from "@opentelemetry/, file);
  }
});
