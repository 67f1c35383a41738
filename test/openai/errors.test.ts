// Upstream failures as the SDK sees them: HTTP errors by status, hangs, refused connections, and
// failures after a stream began (an exception event, never a stream that looks complete).
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import { chatStream, chunk, completion, errorBody } from "../fakes/openai-upstream.js";
import { API_KEY, MODEL_ID, deferred, errorOf, plain, startStack, type Stack } from "./harness.js";

const DEAD_MODEL = "meta.llama3-70b-instruct-v1:0";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let stack: Stack;
before(async () => {
  const port = await closedPort();
  stack = await startStack({
    timeoutMs: 1500,
    extraProviders: `  dead: { type: openai, baseUrl: "http://127.0.0.1:${port}/v1" }`,
    extraModels: `  - { id: "${DEAD_MODEL}", provider: dead, model: "llama3.1:70b" }`,
  });
});
after(() => stack.close());

const messages = [{ role: "user" as const, content: [{ text: "Go" }] }];
const converse = (modelId = MODEL_ID) => stack.client.send(new ConverseCommand({ modelId, messages }));
const converseStream = (modelId = MODEL_ID) => stack.client.send(new ConverseStreamCommand({ modelId, messages }));

const statusCases = [
  { status: 400, body: errorBody("This model's maximum context length is 8192 tokens.", "BadRequestError", 400), name: "ValidationException", http: 400 },
  { status: 422, body: errorBody("Unprocessable entity", "invalid_request_error", null), name: "ValidationException", http: 400 },
  { status: 401, body: errorBody("Incorrect API key provided: sk-bas***a.", "invalid_request_error", "invalid_api_key"), name: "AccessDeniedException", http: 403 },
  { status: 403, body: errorBody("Project does not have access to model", "invalid_request_error", "model_not_found"), name: "AccessDeniedException", http: 403 },
  // Ollama's form.
  { status: 404, body: { error: 'model "llama3.1:8b" not found, try pulling it first' }, name: "ResourceNotFoundException", http: 404 },
  { status: 429, body: errorBody("Rate limit reached for requests", "requests", "rate_limit_exceeded"), name: "ThrottlingException", http: 429 },
  { status: 500, body: errorBody("The server had an error while processing your request.", "server_error", null), name: "ModelErrorException", http: 424 },
  { status: 502, body: "<html>Bad Gateway</html>", name: "ModelErrorException", http: 424 },
  { status: 503, body: errorBody("The engine is currently overloaded, please try again later", "server_error", null), name: "ServiceUnavailableException", http: 503 },
];

for (const c of statusCases) {
  test(`upstream ${c.status} → ${c.name} (${c.http}) for Converse and ConverseStream`, async () => {
    for (const call of [converse, converseStream]) {
      stack.upstream.enqueue(typeof c.body === "string" ? { status: c.status, text: c.body } : { status: c.status, json: c.body });
      const err = await errorOf(call());
      assert.equal(err.name, c.name);
      assert.equal(err.$metadata?.httpStatusCode, c.http);
      const upstreamText = typeof c.body === "string" ? c.body : ((c.body.error as { message?: string }).message ?? (c.body.error as string));
      assert.ok(err.message.includes(upstreamText), err.message);
      if (c.name === "ModelErrorException") assert.equal(err.originalStatusCode, c.status);
      await stack.upstream.nextRequest();
    }
  });
}

test("an upstream that hangs past timeoutMs → ModelTimeoutException (408)", async () => {
  for (const call of [converse, converseStream]) {
    stack.upstream.enqueue({ hang: true });
    const started = Date.now();
    const err = await errorOf(call());
    assert.equal(err.name, "ModelTimeoutException");
    assert.equal(err.$metadata?.httpStatusCode, 408);
    assert.ok(Date.now() - started >= 1400, "timed out before timeoutMs");
    await stack.upstream.nextRequest();
  }
});

test("connection refused → ServiceUnavailableException (503)", async () => {
  for (const call of [converse, converseStream]) {
    const err = await errorOf(call(DEAD_MODEL));
    assert.equal(err.name, "ServiceUnavailableException");
    assert.equal(err.$metadata?.httpStatusCode, 503);
  }
});

test("the upstream closing before answering → ServiceUnavailableException", async () => {
  stack.upstream.enqueue({ destroy: true });
  const err = await errorOf(converse());
  assert.equal(err.name, "ServiceUnavailableException");
  await stack.upstream.nextRequest();
});

/** Iterates a stream, returning the events seen before it failed and the error. */
async function streamUntilError() {
  const res = await converseStream();
  const events: Record<string, unknown>[] = [];
  const err = await errorOf((async () => {
    for await (const e of res.stream ?? []) {
      events.push(plain(e));
    }
  })());
  return { events, err };
}

test("a connection cut mid-stream → modelStreamErrorException after the deltas already sent", async () => {
  stack.upstream.enqueue({ sse: [{ data: chunk({ role: "assistant", content: "Hel" }) }, { delay: 30 }, { destroy: true }] });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.deepEqual(events, [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hel" } } },
  ]);
  await stack.upstream.nextRequest();
});

test("an error object inside the stream → modelStreamErrorException with the upstream's message", async () => {
  stack.upstream.enqueue({
    sse: [
      { data: chunk({ role: "assistant", content: "Hel" }) },
      { data: { error: { message: "CUDA out of memory", type: "InternalServerError", code: 500 } } },
    ],
  });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.equal(err.message, "The model returned the following errors: CUDA out of memory");
  assert.equal(err.originalStatusCode, 500);
  assert.equal(events.length, 2);
  await stack.upstream.nextRequest();
});

test("a stream that ends without finish_reason or [DONE] is an error, not a complete answer", async () => {
  stack.upstream.enqueue({ sse: [{ data: chunk({ role: "assistant", content: "Hel" }) }] });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.ok(!events.some((e) => "messageStop" in e));
  await stack.upstream.nextRequest();
});

test("a stream that goes silent past timeoutMs → modelStreamErrorException (original status 408)", async () => {
  stack.upstream.enqueue({ sse: [{ data: chunk({ role: "assistant", content: "Hel" }) }, { wait: new Promise(() => {}) }] });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.equal(err.originalStatusCode, 408);
  assert.equal(events.length, 2);
  await stack.upstream.nextRequest();
});

test("a client that leaves mid-stream releases the upstream request", async () => {
  const seen = deferred();
  stack.upstream.enqueue({ sse: [{ data: chunk({ role: "assistant", content: "Hel" }) }, { wait: new Promise(() => {}) }] });
  const abort = new AbortController();
  const res = await stack.client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages }), { abortSignal: abort.signal });
  const reading = (async () => {
    for await (const e of res.stream ?? []) if (e.contentBlockDelta) seen.resolve();
  })().catch(() => undefined);
  await seen.promise;
  const received = await stack.upstream.nextRequest();
  abort.abort();
  await reading;
  const closedInTime = await Promise.race([received.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
  assert.equal(closedInTime, true, "the upstream request was still open after the client left");
});

test("successive requests reuse the upstream keep-alive connection", async () => {
  stack.upstream.enqueue({ json: completion({ content: "a" }) }, { sse: chatStream({ text: ["b"] }) }, { json: completion({ content: "c" }) });
  await converse();
  const first = await stack.upstream.nextRequest();
  const res = await converseStream();
  for await (const _ of res.stream ?? []);
  const second = await stack.upstream.nextRequest();
  await converse();
  const third = await stack.upstream.nextRequest();
  assert.equal(second.remotePort, first.remotePort);
  assert.equal(third.remotePort, first.remotePort);
});

test("CountTokens is an estimate made without calling the upstream", async () => {
  const before = stack.upstream.requests.length;
  const out = await stack.client.send(new CountTokensCommand({
    modelId: MODEL_ID,
    input: { converse: { system: [{ text: "Be brief." }], messages: [{ role: "user", content: [{ text: "What is the capital of France?" }] }] } },
  }));
  // 9 + 30 characters → 10 tokens, plus 4 for the system turn and 4 for the message.
  assert.equal(out.inputTokens, 18);
  assert.equal(stack.upstream.requests.length, before);
});

test("an upstream error that quotes the API key never shows it to the client", async () => {
  stack.upstream.enqueue({ status: 401, json: errorBody(`Incorrect API key provided: ${API_KEY}.`, "invalid_request_error", "invalid_api_key") });
  const err = await errorOf(converse());
  assert.equal(err.name, "AccessDeniedException");
  assert.ok(!err.message.includes(API_KEY), err.message);
  assert.match(err.message, /Incorrect API key provided: \[redacted\]/);
  await stack.upstream.nextRequest();
});
