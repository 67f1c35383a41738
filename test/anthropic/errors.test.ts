// Upstream failures as the SDK sees them: Messages API error responses by status, hangs, refused
// connections, and failures after a stream began (an exception event, never a stream that looks complete).
import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { blockStart, errorBody, errorEvent, message, messageStart, messageStream, textBlock, textDelta } from "../fakes/anthropic-upstream.js";
import { MODEL_ID, deferred, errorOf, plain, startStack, type Stack } from "./harness.js";

const DEAD_MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

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
    extraProviders: `  dead: { type: anthropic, baseUrl: "http://127.0.0.1:${port}", apiKey: unused }`,
    extraModels: `  - { id: "${DEAD_MODEL}", provider: dead, model: "claude-3-haiku-20240307" }`,
  });
});
after(() => stack.close());

const messages = [{ role: "user" as const, content: [{ text: "Go" }] }];
const converse = (modelId = MODEL_ID) => stack.client.send(new ConverseCommand({ modelId, messages }));
const converseStream = (modelId = MODEL_ID) => stack.client.send(new ConverseStreamCommand({ modelId, messages }));

const statusCases = [
  { status: 400, type: "invalid_request_error", message: "messages.0.content.0.text: text content blocks must be non-empty", name: "ValidationException", http: 400 },
  { status: 413, type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes.", name: "ValidationException", http: 400 },
  { status: 401, type: "authentication_error", message: "invalid x-api-key", name: "AccessDeniedException", http: 403 },
  { status: 403, type: "permission_error", message: "Your API key does not have permission to use the specified resource.", name: "AccessDeniedException", http: 403 },
  { status: 404, type: "not_found_error", message: "model: claude-3-5-haiku-20241022", name: "ResourceNotFoundException", http: 404 },
  { status: 429, type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit", name: "ThrottlingException", http: 429 },
  { status: 500, type: "api_error", message: "Internal server error", name: "ModelErrorException", http: 424 },
  { status: 503, type: "api_error", message: "Service temporarily unavailable", name: "ServiceUnavailableException", http: 503 },
  { status: 529, type: "overloaded_error", message: "Overloaded", name: "ServiceUnavailableException", http: 503 },
];

for (const c of statusCases) {
  test(`upstream ${c.status} ${c.type} → ${c.name} (${c.http}) for Converse and ConverseStream`, async () => {
    for (const call of [converse, converseStream]) {
      stack.upstream.enqueue({ status: c.status, json: errorBody(c.type, c.message) });
      const err = await errorOf(call());
      assert.equal(err.name, c.name);
      assert.equal(err.$metadata?.httpStatusCode, c.http);
      assert.ok(err.message.includes(`The model returned the following errors: ${c.message}`), err.message);
      if (c.name === "ModelErrorException") assert.equal(err.originalStatusCode, c.status);
      await stack.upstream.nextRequest();
    }
  });
}

test("a proxy's HTML 502 → ModelErrorException carrying the page text and status", async () => {
  stack.upstream.enqueue({ status: 502, text: "<html>Bad Gateway</html>" });
  const err = await errorOf(converse());
  assert.equal(err.name, "ModelErrorException");
  assert.equal(err.originalStatusCode, 502);
  assert.ok(err.message.endsWith("<html>Bad Gateway</html>"));
  await stack.upstream.nextRequest();
});

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
    for await (const e of res.stream ?? []) events.push(plain(e));
  })());
  return { events, err };
}

const startOfText = [messageStart(), blockStart(0, { type: "text", text: "" }), textDelta(0, "Hel")];
const eventsBeforeFailure = [{ messageStart: { role: "assistant" } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hel" } } }];

test("`event: error` mid-stream → modelStreamErrorException with the upstream's message and status", async () => {
  stack.upstream.enqueue({ sse: [...startOfText, errorEvent("overloaded_error", "Overloaded")] });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.equal(err.message, "The model returned the following errors: Overloaded");
  assert.equal(err.originalStatusCode, 529);
  assert.equal(err.originalMessage, "Overloaded");
  assert.deepEqual(events, eventsBeforeFailure);
  await stack.upstream.nextRequest();
});

test("`event: error` before any event is still an HTTP error, mapped by its type", async () => {
  stack.upstream.enqueue({ sse: [errorEvent("overloaded_error", "Overloaded")] });
  const err = await errorOf(converseStream());
  assert.equal(err.name, "ServiceUnavailableException");
  assert.equal(err.$metadata?.httpStatusCode, 503);
  await stack.upstream.nextRequest();
});

test("a connection cut mid-stream → modelStreamErrorException after the deltas already sent", async () => {
  stack.upstream.enqueue({ sse: [...startOfText, { delay: 30 }, { destroy: true }] });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.deepEqual(events, eventsBeforeFailure);
  await stack.upstream.nextRequest();
});

test("a stream that ends cleanly without message_delta/message_stop is an error, not a complete answer", async () => {
  stack.upstream.enqueue({ sse: startOfText });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.ok(!events.some((e) => "messageStop" in e));
  await stack.upstream.nextRequest();
});

test("a stream that goes silent past timeoutMs → modelStreamErrorException (original status 408)", async () => {
  stack.upstream.enqueue({ sse: [...startOfText, { wait: new Promise(() => {}) }] });
  const { events, err } = await streamUntilError();
  assert.equal(err.name, "ModelStreamErrorException");
  assert.equal(err.originalStatusCode, 408);
  assert.deepEqual(events, eventsBeforeFailure);
  await stack.upstream.nextRequest();
});

test("a client that leaves mid-stream releases the upstream request", async () => {
  const seen = deferred();
  stack.upstream.enqueue({ sse: [...startOfText, { wait: new Promise(() => {}) }] });
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

test("a Converse client that leaves releases the upstream request", async () => {
  stack.upstream.enqueue({ hang: true });
  const abort = new AbortController();
  const pending = stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages }), { abortSignal: abort.signal }).catch(() => undefined);
  const received = await stack.upstream.nextRequest();
  abort.abort();
  await pending;
  const closedInTime = await Promise.race([received.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
  assert.equal(closedInTime, true, "the upstream request was still open after the client left");
});

test("streams and plain calls share the keep-alive connection", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("a")] }) }, { sse: messageStream({ text: ["b"] }) }, { json: message({ content: [textBlock("c")] }) });
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

test("a 200 whose body is not JSON → ModelErrorException", async () => {
  stack.upstream.enqueue({ status: 200, text: "<html>captive portal</html>" });
  const err = await errorOf(converse());
  assert.equal(err.name, "ModelErrorException");
  assert.equal(err.originalStatusCode, 200);
  await stack.upstream.nextRequest();
});
