// The dispatch table and its seams, through official clients against a server started in this process:
// operations not built yet answer 404 from the one table, control-plane operations answer 404 naming the
// operation until a handler is plugged in by name, admin routes and front doors plug in, and every call
// leaves one finished record for the observers.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { BedrockClient, GetCustomModelCommand, ListFoundationModelAgreementOffersCommand } from "@aws-sdk/client-bedrock";
import { startBasalt, type Basalt } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import { testDataDir } from "../helpers/start-basalt.js";
import type { CallRecord } from "../../src/core/call-record.js";
import { sendJson } from "../../src/api/bedrock/respond.js";
import { createRuntimeDoor } from "../../src/api/bedrock/runtime-door.js";
import { createDispatcher } from "../../src/server/dispatch.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { h1Client, h2Client } from "../helpers/clients.js";

let basalt: Basalt;
const records: CallRecord[] = [];

before(async () => {
  const config = parseConfig("server: { port: 0 }\nmodels:\n  - { id: basalt.echo, provider: echo }\n  - { id: my.echo, provider: echo, model: inner-echo }\n", "(test)");
  config.server.dataDir = testDataDir();
  basalt = await startBasalt(config, { observers: [{ name: "test", observe: (r) => void records.push(structuredClone(r)) }] });
});
after(async () => {
  await basalt.stop();
});

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

/** The records of one request id, once its response has closed (the observer runs after that). */
async function recordsOf(requestId: string | undefined): Promise<CallRecord[]> {
  for (let i = 0; i < 200; i++) {
    const mine = records.filter((r) => r.requestId === requestId);
    if (mine.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return records.filter((r) => r.requestId === requestId);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return [];
}

async function post(path: string, body = "{}", method = "POST") {
  const r = await fetch(`${basalt.url}${path}`, { method, headers: { "content-type": "application/json" }, body: method === "GET" ? undefined : body });
  return { status: r.status, type: r.headers.get("x-amzn-errortype") ?? "", body: await r.text(), requestId: r.headers.get("x-amzn-requestid") };
}

test("a path no operation matches answers 404 UnknownOperationException", async () => {
  for (const [method, path] of [["POST", "/no/such/path"], ["POST", "/model/basalt.echo/no-such-action"]]) {
    const r = await post(path, "{}", method);
    assert.equal(r.status, 404, path);
    assert.match(r.type, /^UnknownOperationException:/, path);
    // The recorded Coral body, which names no path (issue 19 item 10, test/fidelity/validation-wording.test.ts).
    assert.equal(r.body, '{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}', path);
  }
});

test("prototype names in a path are unknown operations", async () => {
  for (const path of ["/model/basalt.echo/constructor", "/model/basalt.echo/__proto__", "/model/basalt.echo/toString", "/constructor", "/__proto__"]) {
    const r = await post(path);
    assert.equal(r.status, 404, path);
    assert.match(r.type, /^UnknownOperationException:/, path);
  }
});

test("OpenAI and Anthropic paths are reserved: a prefix's door answers; unplugged, the runtime door's 404 does", async () => {
  // A dispatcher of its own, so that a reserved prefix can be seen with nothing plugged in.
  const dispatcher = createDispatcher({ maxBodyBytes: 1024, bodyTimeoutMs: 30_000, shutdown: new AbortController().signal });
  dispatcher.plug("runtime", createRuntimeDoor({ catalog: basalt.registry }));
  const server = createServer((req, res) => dispatcher.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = async (path: string) => {
    const r = await fetch(`${url}${path}`, { method: "POST", body: "{}" });
    return { status: r.status, type: r.headers.get("x-amzn-errortype") ?? "", body: await r.text() };
  };
  try {
    for (const path of ["/v1/chat/completions", "/openai/v1/chat/completions", "/v1/messages", "/anthropic/v1/messages", "/v1/models"]) {
      const r = await send(path);
      assert.equal(r.status, 404, path);
      assert.match(r.type, /^UnknownOperationException:/, path);
    }
    const served: string[] = [];
    dispatcher.plug("anthropic", {
      name: "anthropic",
      async serve(call) {
        served.push(call.path);
        call.res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ door: "anthropic", path: call.path }));
      },
      refuse: (call) => void call.res.writeHead(403).end(),
    });
    const r = await send("/anthropic/v1/messages");
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { door: "anthropic", path: "/anthropic/v1/messages" });
    assert.equal((await send("/v1/messages-not")).status, 404, "a prefix matches whole segments only");
    assert.equal((await send("/v1/chat/completions")).status, 404, "the OpenAI door is still unplugged");
    assert.deepEqual(served, ["/anthropic/v1/messages"]);
  } finally {
    server.close();
  }
  // The served app has both doors plugged in.
  const answer = await post("/v1/messages", JSON.stringify({ model: "basalt.echo", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }));
  assert.equal(answer.status, 200);
  assert.equal(JSON.parse(answer.body).type, "message");
});

test("a control-plane operation answers 404 naming it, through the official control-plane client", async () => {
  const client = new BedrockClient({ endpoint: basalt.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  const err = await client.send(new ListFoundationModelAgreementOffersCommand({ modelId: "basalt.echo" })).then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
  assert.equal(err?.name, "UnknownOperationException");
  assert.equal(err?.$metadata?.httpStatusCode, 404);
  assert.match(err?.message ?? "", /ListFoundationModelAgreementOffers/);
  const [record] = await recordsOf(err && (err as { $metadata?: { requestId?: string } }).$metadata?.requestId);
  assert.equal(record?.frontDoor, "control-plane");
  assert.equal(record?.operation, "ListFoundationModelAgreementOffers");
  assert.equal(record?.status, 404);
  client.destroy();
});

test("a control-plane operation plugged in by name answers, with its path labels decoded", async () => {
  basalt.doors.controlPlane.handle("GetCustomModel", async (call, labels) => {
    const body = { modelArn: `arn:aws:bedrock:us-east-1:000000000000:custom-model/${labels.modelIdentifier}`, modelName: labels.modelIdentifier };
    sendJson(call.res, 200, JSON.stringify(body), { "x-amzn-requestid": call.requestId });
  });
  const client = new BedrockClient({ endpoint: basalt.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  const out = await client.send(new GetCustomModelCommand({ modelIdentifier: "my model/v1" }));
  assert.equal(out.modelName, "my model/v1");
  client.destroy();
});

test("a runtime operation plugged in by name: a request operation gets its labels, a model operation its model", async () => {
  basalt.doors.runtime.handle("ApplyGuardrail", async (call, labels) => {
    await call.readBody();
    sendJson(call.res, 200, JSON.stringify({ usage: {}, action: "NONE", outputs: [], assessments: [], labels: { ...labels } }), { "x-amzn-requestid": call.requestId });
  });
  const r = await post("/guardrail/gr-1/version/DRAFT/apply", JSON.stringify({ source: "INPUT", content: [] }));
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body).labels, { guardrailIdentifier: "gr-1", guardrailVersion: "DRAFT" });
  const [record] = await recordsOf(r.requestId ?? undefined);
  assert.equal(record.operation, "ApplyGuardrail");

  // A model-bound operation: the door resolves the model and names it in the record before `check` runs.
  basalt.doors.runtime.handle("InvokeModelWithBidirectionalStream", {
    check: ({ body }) => body.length,
    async serve({ res, served, ctx }, bytes) {
      sendJson(res, 200, JSON.stringify({ model: served.info.id, bytes }), { "x-amzn-requestid": ctx.requestId });
    },
  });
  const b = await post("/model/us.my.echo/invoke-with-bidirectional-stream", "12345");
  assert.equal(b.status, 200);
  assert.deepEqual(JSON.parse(b.body), { model: "my.echo", bytes: 5 });
  const [bidi] = await recordsOf(b.requestId ?? undefined);
  assert.equal(bidi.operation, "InvokeModelWithBidirectionalStream");
  assert.equal(bidi.modelId, "my.echo");
  assert.equal((await post("/model/no.such.model/invoke-with-bidirectional-stream")).status, 400, "an unknown model is refused before check");
});

test("admin routes: 404 until registered, then the handler answers with its labels", async () => {
  assert.equal((await post("/_basalt/hello/world", "", "GET")).status, 404);
  basalt.doors.admin.route("GET", "/_basalt/hello/{name}", async (call, labels) => {
    sendJson(call.res, 200, JSON.stringify({ hello: labels.name }), {});
  });
  const r = await post("/_basalt/hello/world", "", "GET");
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { hello: "world" });
  assert.throws(() => basalt.doors.admin.route("GET", "/elsewhere", async () => {}), /under \/_basalt\//);
});

for (const [transport, makeClient] of [["HTTP/2", h2Client], ["HTTP/1.1", h1Client]] as const) {
  test(`${transport}: a Converse leaves one record: operation, model, provider, tokens, stop reason, status, latency`, async () => {
    const client = makeClient(basalt.url);
    const out = await client.send(new ConverseCommand({ modelId: "us.my.echo", messages: say("one two three") }));
    const mine = await recordsOf(out.$metadata.requestId);
    assert.equal(mine.length, 1, "observed exactly once");
    const r = mine[0];
    assert.equal(r.frontDoor, "bedrock");
    assert.equal(r.operation, "Converse");
    assert.equal(r.caller, "anonymous");
    assert.equal(r.requestedModelId, "us.my.echo");
    assert.equal(r.modelId, "my.echo");
    assert.equal(r.provider, "echo");
    assert.equal(r.upstreamModel, "inner-echo");
    assert.equal(r.status, 200);
    assert.equal(r.stopReason, "end_turn");
    assert.equal(r.inputTokens, 3);
    assert.equal(r.outputTokens, 3);
    assert.equal(r.errorName, undefined);
    assert.equal(typeof r.latencyMs, "number");
    assert.ok(r.latencyMs! >= 0);
    client.destroy();
  });
}

test("a ConverseStream's record has the metadata usage and stop reason; one ended by an exception event its name", async () => {
  const client = h2Client(basalt.url);
  const ok = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("a b c d"), inferenceConfig: { maxTokens: 2 } }));
  for await (const _ of ok.stream ?? []) void _;
  const [r1] = await recordsOf(ok.$metadata.requestId);
  assert.equal(r1.operation, "ConverseStream");
  assert.equal(r1.stopReason, "max_tokens");
  assert.equal(r1.outputTokens, 2);
  assert.equal(r1.status, 200);

  const failing = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/error-after 2 ThrottlingException slow down") }));
  await assert.rejects(async () => {
    for await (const _ of failing.stream ?? []) void _;
  }, { name: "ThrottlingException" });
  const [r2] = await recordsOf(failing.$metadata.requestId);
  assert.equal(r2.status, 200);
  assert.equal(r2.errorName, "ThrottlingException");
  client.destroy();
});

test("an error answer is recorded with its status and exception name", async () => {
  const r = await post("/model/basalt.echo/converse", JSON.stringify({ messages: say("/error ModelTimeoutException too slow") }));
  assert.equal(r.status, 408);
  const [record] = await recordsOf(r.requestId ?? undefined);
  assert.equal(record.status, 408);
  assert.equal(record.errorName, "ModelTimeoutException");
  assert.equal(record.errorMessage, "too slow");
});
