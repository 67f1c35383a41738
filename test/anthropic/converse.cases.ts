// Converse through the anthropic provider: what the Messages API receives, and what the SDK gets back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand, type ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { message, textBlock, toolUseBlock } from "../fakes/anthropic-upstream.js";
import { API_KEY, MODEL_ID, UPSTREAM_MODEL, errorOf, startStack, type Stack } from "./harness.js";
import type { RunningBasalt } from "../helpers/start-basalt.js";

// The real CLI, not in-process: these tests also read its logs.
let stack: Stack<RunningBasalt>;
before(async () => (stack = await startStack({ spawn: true })));
after(() => stack.close());

const user = (text: string) => ({ role: "user" as const, content: [{ text }] });
const converse = (input: Partial<ConverseCommandInput> = {}) =>
  stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [user("Hi")], ...input }));

test("a plain text turn: headers, model, default max_tokens; text, usage and stop reason back", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("Hello! How can I help?")], usage: { input: 10, output: 8 } }) });
  const res = await converse();
  const req = await stack.upstream.nextRequest();
  assert.equal(req.path, "/v1/messages");
  assert.equal(req.headers["x-api-key"], API_KEY);
  assert.equal(req.headers["anthropic-version"], "2023-06-01");
  assert.equal(req.headers["anthropic-beta"], undefined);
  assert.deepEqual(req.body, { model: UPSTREAM_MODEL, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }], max_tokens: 4096 });
  assert.deepEqual(res.output, { message: { role: "assistant", content: [{ text: "Hello! How can I help?" }] } });
  assert.equal(res.stopReason, "end_turn");
  assert.deepEqual(res.usage, { inputTokens: 10, outputTokens: 8, totalTokens: 18 });
  assert.equal(typeof res.metrics?.latencyMs, "number");
  assert.ok(!stack.basalt.output().includes(API_KEY), "the API key must never reach the logs");
});

test("system blocks, multi-turn history and inferenceConfig are translated", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("Paris.")] }) });
  await converse({
    system: [{ text: "You are terse." }, { text: "Answer in English." }],
    messages: [user("Capital of Italy?"), { role: "assistant", content: [{ text: "Rome." }] }, user("And France?")],
    inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ["\n\nHuman:", "END"] },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body, {
    model: UPSTREAM_MODEL,
    messages: [
      { role: "user", content: [{ type: "text", text: "Capital of Italy?" }] },
      { role: "assistant", content: [{ type: "text", text: "Rome." }] },
      { role: "user", content: [{ type: "text", text: "And France?" }] },
    ],
    system: [{ type: "text", text: "You are terse." }, { type: "text", text: "Answer in English." }],
    max_tokens: 300,
    temperature: 0.2,
    top_p: 0.9,
    stop_sequences: ["\n\nHuman:", "END"],
  });
});

test("additionalModelRequestFields are merged (top_k), anthropic_beta becomes the anthropic-beta header", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("ok")] }) });
  await converse({ additionalModelRequestFields: { top_k: 40, anthropic_beta: ["token-efficient-tools-2025-02-19", "output-128k-2025-02-19"] } });
  const req = await stack.upstream.nextRequest();
  assert.equal(req.body.top_k, 40);
  assert.equal(req.body.anthropic_beta, undefined);
  assert.equal(req.headers["anthropic-beta"], "token-efficient-tools-2025-02-19,output-128k-2025-02-19");
});

test("an additional field colliding with a Converse field is refused with Bedrock's wording", async () => {
  const err = await errorOf(converse({
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } }], toolChoice: { auto: {} } },
    additionalModelRequestFields: { tool_choice: { type: "any" } },
  }));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.message, "The additional field tool_choice/type conflicts with the existing field toolConfig.toolChoice.auto. Remove tool_choice/type and try again.");
  assert.equal(stack.upstream.requests.filter((r) => r.body.tool_choice).length, 0, "nothing reached the upstream");
});

test("additional tool_choice keys that do not collide join the translated toolChoice", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("ok")] }) });
  await converse({
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } }], toolChoice: { any: {} } },
    additionalModelRequestFields: { tool_choice: { disable_parallel_tool_use: true } },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.tool_choice, { type: "any", disable_parallel_tool_use: true });
});

test("additionalModelResponseFieldPaths are answered from the upstream response", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("1 2 3")], stopReason: "stop_sequence", stopSequence: "END" }) });
  const res = await converse({ inferenceConfig: { stopSequences: ["END"] }, additionalModelResponseFieldPaths: ["/stop_sequence", "/usage/output_tokens", "/nope"] });
  assert.equal(res.stopReason, "stop_sequence");
  assert.deepEqual(res.additionalModelResponseFields, { stop_sequence: "END", usage: { output_tokens: 12 } });
  await stack.upstream.nextRequest();
});

test("stop reasons map to Bedrock's enum", async () => {
  const cases: [string, string][] = [
    ["end_turn", "end_turn"], ["max_tokens", "max_tokens"], ["stop_sequence", "stop_sequence"], ["tool_use", "tool_use"],
    ["refusal", "content_filtered"], ["model_context_window_exceeded", "model_context_window_exceeded"], ["pause_turn", "end_turn"],
  ];
  for (const [upstream, bedrock] of cases) {
    const content = upstream === "tool_use" ? [toolUseBlock("toolu_01", "f", {})] : [textBlock("x")];
    stack.upstream.enqueue({ json: message({ content, stopReason: upstream }) });
    const res = await converse();
    assert.equal(res.stopReason, bedrock, upstream);
    await stack.upstream.nextRequest();
  }
});

test("cache usage: reads and writes are reported apart, with writes per TTL", async () => {
  stack.upstream.enqueue({ json: message({ content: [textBlock("x")], usage: { input: 12, output: 5, cacheRead: 1800, cacheWrite: 300, cacheWrite1h: 200 } }) });
  const res = await converse();
  assert.deepEqual(res.usage, {
    inputTokens: 12, outputTokens: 5, totalTokens: 12 + 5 + 1800 + 500,
    cacheReadInputTokens: 1800, cacheWriteInputTokens: 500,
    cacheDetails: [{ ttl: "1h", inputTokens: 200 }, { ttl: "5m", inputTokens: 300 }],
  });
  await stack.upstream.nextRequest();
});

test("the upstream connection is kept alive across calls", async () => {
  const ports = new Set<number | undefined>();
  for (let i = 0; i < 3; i++) {
    stack.upstream.enqueue({ json: message({ content: [textBlock(`n${i}`)] }) });
    const res = await converse();
    assert.deepEqual(res.output?.message?.content, [{ text: `n${i}` }]);
    ports.add((await stack.upstream.nextRequest()).remotePort);
  }
  assert.equal(ports.size, 1, "one pooled connection served all three calls");
});
