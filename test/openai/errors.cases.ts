// Chat Completions upstream failures as the SDK sees them: HTTP errors by status and error objects inside a
// stream. What every provider shares (hangs, refused and cut connections, clients that leave, keep-alive) is
// in the provider contract (test/providers/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import { chunk, errorBody } from "../fakes/openai-upstream.js";
import { API_KEY, MODEL_ID, errorOf, plain, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
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
