// Messages API upstream failures as the SDK sees them: error responses by status, `event: error` inside a
// stream, answers that are not JSON. What every provider shares (hangs, refused and cut connections, clients
// that leave, keep-alive) is in the provider contract (test/providers/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { blockStart, errorBody, errorEvent, messageStart, textDelta } from "../fakes/anthropic-upstream.js";
import { MODEL_ID, errorOf, plain, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
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

test("a 200 whose body is not JSON → ModelErrorException", async () => {
  stack.upstream.enqueue({ status: 200, text: "<html>captive portal</html>" });
  const err = await errorOf(converse());
  assert.equal(err.name, "ModelErrorException");
  assert.equal(err.originalStatusCode, 200);
  await stack.upstream.nextRequest();
});
