// CountTokens through the anthropic provider: the upstream's count_tokens endpoint when it has one,
// the documented estimate when it does not; and InvokeModel's Claude bodies reaching the Messages API.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CountTokensCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { errorBody, message, textBlock } from "../fakes/anthropic-upstream.js";
import { API_KEY, MODEL_ID, UPSTREAM_MODEL, errorOf, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const converseInput = {
  system: [{ text: "Be brief." }],
  messages: [{ role: "user" as const, content: [{ text: "What is the capital of France?" }] }],
  toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }], toolChoice: { auto: {} } },
  additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 }, top_k: 5 },
};
const count = () => stack.client.send(new CountTokensCommand({ modelId: MODEL_ID, input: { converse: converseInput } }));

test("CountTokens asks the upstream's count_tokens with the fields it takes", async () => {
  stack.upstream.enqueue({ json: { input_tokens: 57 } });
  const out = await count();
  assert.equal(out.inputTokens, 57);
  const req = await stack.upstream.nextRequest();
  assert.equal(req.path, "/v1/messages/count_tokens");
  assert.equal(req.headers["x-api-key"], API_KEY);
  assert.deepEqual(req.body, {
    model: UPSTREAM_MODEL,
    messages: [{ role: "user", content: [{ type: "text", text: "What is the capital of France?" }] }],
    system: [{ type: "text", text: "Be brief." }],
    tools: [{ name: "lookup", input_schema: { type: "object" } }],
    tool_choice: { type: "auto" },
    thinking: { type: "enabled", budget_tokens: 1024 },
  });
});

test("upstream errors from count_tokens map like any other (401 → AccessDeniedException)", async () => {
  stack.upstream.enqueue({ status: 401, json: errorBody("authentication_error", "invalid x-api-key") });
  const err = await errorOf(count());
  assert.equal(err.name, "AccessDeniedException");
  await stack.upstream.nextRequest();
});

test("without a count_tokens endpoint (404 from a gateway) the estimate answers, and the endpoint is not asked again", async () => {
  stack.upstream.enqueue({ status: 404, text: "Not Found" });
  const first = await count();
  await stack.upstream.nextRequest();
  const before = stack.upstream.requests.length;
  const second = await count();
  assert.equal(stack.upstream.requests.length, before, "the missing endpoint was called again");
  assert.equal(second.inputTokens, first.inputTokens);
  // 9 + 30 characters of text plus the tool spec's JSON, four characters a token, plus 4 per turn.
  const toolChars = JSON.stringify(converseInput.toolConfig.tools[0].toolSpec).length;
  assert.equal(first.inputTokens, Math.ceil((9 + 30 + toolChars) / 4) + 8);
});

test("InvokeModel with a Claude Messages body reaches the upstream as a Messages request", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("Bonjour")], usage: { input: 9, output: 3 } }) });
  const body = { anthropic_version: "bedrock-2023-05-31", max_tokens: 200, system: "Translate to French.", messages: [{ role: "user", content: "Hello" }] };
  const res = await stack.client.send(new InvokeModelCommand({ modelId: MODEL_ID, contentType: "application/json", body: JSON.stringify(body) }));
  const out = JSON.parse(Buffer.from(res.body).toString("utf8")) as { content: unknown[]; usage: { input_tokens: number } };
  assert.deepEqual(out.content, [{ type: "text", text: "Bonjour" }]);
  assert.equal(out.usage.input_tokens, 9);
  const req = await stack.upstream.nextRequest();
  assert.equal(req.path, "/v1/messages");
  assert.equal(req.body.max_tokens, 200);
  assert.deepEqual(req.body.system, [{ type: "text", text: "Translate to French." }]);
  assert.deepEqual(req.body.messages, [{ role: "user", content: [{ type: "text", text: "Hello" }] }]);
});
