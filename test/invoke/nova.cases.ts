// Amazon Nova messages-v1 bodies through the AWS SDK, on an echo-backed Nova id.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { NOVA, invoke, invokeStream, rejection, startStack, withoutMetrics, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const TOOL = { toolSpec: { name: "lookup", description: "Look up", inputSchema: { json: { type: "object" } } } };

test("text reply: output.message, stopReason and Nova's usage names", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, NOVA, {
      schemaVersion: "messages-v1",
      system: [{ text: "Be short." }],
      messages: [{ role: "user", content: [{ text: "Hello Nova" }] }],
      inferenceConfig: { max_new_tokens: 50, temperature: 0.5, topP: 0.9, topK: 20 },
    });
    assert.deepEqual(out, {
      output: { message: { role: "assistant", content: [{ text: "Hello Nova" }] } },
      stopReason: "end_turn",
      usage: { inputTokens: 4, outputTokens: 2, totalTokens: 6, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
    });
  }
});

test("inferenceConfig: maxTokens and max_new_tokens both cut, stopSequences stop", async () => {
  const a = await invoke(stack.client, NOVA, { messages: [{ role: "user", content: [{ text: "a b c d" }] }], inferenceConfig: { maxTokens: 2 } });
  assert.equal(a.stopReason, "max_tokens");
  const b = await invoke(stack.client, NOVA, { messages: [{ role: "user", content: [{ text: "a b c d" }] }], inferenceConfig: { max_new_tokens: 3 } });
  assert.deepEqual((b.output as { message: { content: unknown } }).message.content, [{ text: "a b c" }]);
  const c = await invoke(stack.client, NOVA, { messages: [{ role: "user", content: [{ text: "a b ## c" }] }], inferenceConfig: { stopSequences: ["##"] } });
  assert.equal(c.stopReason, "stop_sequence");
});

test("images and tool calls in the Converse-like block shapes", async () => {
  const img = await invoke(stack.client, NOVA, {
    messages: [{ role: "user", content: [{ image: { format: "jpeg", source: { bytes: Buffer.from("0123456789").toString("base64") } } }, { text: "what is it" }] }],
  });
  assert.deepEqual((img.output as { message: { content: unknown } }).message.content, [{ text: "[image jpeg 10 bytes]\nwhat is it" }]);

  const tool = await invoke(stack.client, NOVA, {
    messages: [{ role: "user", content: [{ text: '/tool lookup {"q":"basalt"}' }] }],
    toolConfig: { tools: [TOOL], toolChoice: { auto: {} } },
  });
  assert.equal(tool.stopReason, "tool_use");
  const block = (tool.output as { message: { content: { toolUse: { name: string; input: unknown } }[] } }).message.content[0];
  assert.equal(block.toolUse.name, "lookup");
  assert.deepEqual(block.toolUse.input, { q: "basalt" });
});

test("stream: Converse-named chunks, metadata last with invocation metrics", async () => {
  const raw = await invokeStream(stack.client, NOVA, { messages: [{ role: "user", content: [{ text: "nova streams" }] }] });
  const { chunks, metrics } = withoutMetrics(raw);
  assert.deepEqual(chunks, [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "nova" } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: " streams" } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: "end_turn" } },
    { metadata: { usage: { inputTokens: 2, outputTokens: 2, totalTokens: 4, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 }, metrics: {}, trace: {} } },
  ]);
  assert.equal(metrics.inputTokenCount, 2);
  assert.equal(metrics.outputTokenCount, 2);
});

test("stream with a tool call: contentBlockStart then toolUse input pieces", async () => {
  const raw = await invokeStream(stack.h1, NOVA, {
    messages: [{ role: "user", content: [{ text: '/tool lookup {"q":"a longer query string"}' }] }],
    toolConfig: { tools: [TOOL] },
  });
  const { chunks } = withoutMetrics(raw);
  const start = chunks[1].contentBlockStart as { start: { toolUse: { name: string } } };
  assert.equal(start.start.toolUse.name, "lookup");
  const input = chunks
    .filter((c) => c.contentBlockDelta)
    .map((c) => (c.contentBlockDelta as { delta: { toolUse: { input: string } } }).delta.toolUse.input)
    .join("");
  assert.deepEqual(JSON.parse(input), { q: "a longer query string" });
  assert.deepEqual(chunks.find((c) => c.messageStop), { messageStop: { stopReason: "tool_use" } });
});

test("Anthropic-style blocks and unknown keys: Bedrock's schema messages", async () => {
  const err = await rejection(invoke(stack.client, NOVA, {
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    max_tokens: 10,
  }));
  assert.equal(err.name, "ValidationException");
  assert.equal(
    err.message,
    "Malformed input request: #: extraneous key [max_tokens] is not permitted#/messages/0/content/0: extraneous key [type] is not permitted, please reformat your input and try again.",
  );
  const str = await rejection(invokeStream(stack.client, NOVA, { messages: [{ role: "user", content: "plain string" }] }));
  assert.match(str.message, /#\/messages\/0\/content: expected type: JSONArray, found: String/);
  const missing = await rejection(invoke(stack.client, NOVA, { inferenceConfig: { maxTokens: 0 } }));
  assert.match(missing.message, /#: required key \[messages\] not found/);
  assert.match(missing.message, /#\/inferenceConfig\/maxTokens: 0 is not greater or equal to 1/);
});
