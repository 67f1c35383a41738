// Claude Messages bodies through the AWS SDK's InvokeModel / InvokeModelWithResponseStream, on echo-backed
// Claude ids (family from the id prefix, and from the config).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ANTHROPIC_VERSION, CLAUDE, CONFIG_CLAUDE, invoke, invokeStream, rejection, startStack, withoutMetrics, type Json, type Stack,
} from "./harness.js";
import { signReasoning } from "../../src/providers/echo/reasoning.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const claude = (messages: unknown[], extra: Json = {}) => ({ anthropic_version: ANTHROPIC_VERSION, max_tokens: 200, messages, ...extra });
const WEATHER_TOOL = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

test("text reply in Claude's response shape, over HTTP/2 and HTTP/1.1", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, CLAUDE, claude([{ role: "user", content: "Hello Claude" }], { system: "Be kind.", temperature: 0.2, top_k: 5 }));
    assert.match(out.id as string, /^msg_bdrk_01[0-9A-Za-z]{22}$/);
    const { id: _id, ...rest } = out;
    assert.deepEqual(rest, {
      type: "message",
      role: "assistant",
      model: "claude-3-5-haiku-20241022",
      content: [{ type: "text", text: "Hello Claude" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 2 },
    });
  }
});

test("block content: images, documents, thinking, tool results and cache_control all translate", async () => {
  const png = Buffer.from("not really a png but twelve").toString("base64");
  const out = await invoke(stack.client, CLAUDE, claude([
    { role: "user", content: [{ type: "text", text: "first turn" }] },
    {
      role: "assistant",
      content: [
        // Echo verifies the signatures of thinking blocks sent back (README, "Reasoning"), as Claude does.
        { type: "thinking", thinking: "pondering", signature: signReasoning("pondering") },
        { type: "redacted_thinking", data: "b64data" },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Oslo" } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "sunny" }], is_error: false },
        { type: "image", source: { type: "base64", media_type: "image/png", data: png }, cache_control: { type: "ephemeral" } },
        { type: "document", title: "Report: Q1 (final)", source: { type: "text", media_type: "text/plain", data: "doc body" } },
        { type: "text", text: "describe" },
      ],
    },
  ], { tools: [WEATHER_TOOL], system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral" } }] }));
  // The echo model renders the last user message's blocks, one line each (cache points render as nothing).
  assert.deepEqual(out.content, [{
    type: "text",
    text: "toolResult toolu_1 success: sunny\n[image png 27 bytes]\n[document txt 8 bytes]\ndescribe",
  }]);
});

test("stop sequences and max_tokens map to Claude's stop reasons", async () => {
  const stopped = await invoke(stack.client, CLAUDE, claude([{ role: "user", content: "keep going END here" }], { stop_sequences: ["END"] }));
  assert.equal(stopped.stop_reason, "stop_sequence");
  assert.equal(stopped.stop_sequence, "END");
  assert.deepEqual(stopped.content, [{ type: "text", text: "keep going " }]);

  const cut = await invoke(stack.client, CLAUDE, claude([{ role: "user", content: "one two three" }], { max_tokens: 1 }));
  assert.equal(cut.stop_reason, "max_tokens");
  assert.deepEqual(cut.content, [{ type: "text", text: "one" }]);
});

test("tool use: tools and tool_choice reach the model; the reply is a tool_use block", async () => {
  const out = await invoke(stack.client, CLAUDE, claude([{ role: "user", content: '/tool get_weather {"city":"Paris"}' }], {
    tools: [WEATHER_TOOL], tool_choice: { type: "auto" },
  }));
  assert.equal(out.stop_reason, "tool_use");
  const content = out.content as Json[];
  assert.equal(content.length, 1);
  assert.equal(content[0].type, "tool_use");
  assert.equal(content[0].name, "get_weather");
  assert.deepEqual(content[0].input, { city: "Paris" });
  // Claude on Bedrock names tool calls toolu_bdrk_01… (issue 19 item 9; test/fidelity/families.test.ts).
  assert.match(content[0].id as string, /^toolu_bdrk_01[0-9A-Za-z]{22}$/);

  const forced = await invoke(stack.client, CLAUDE, claude([{ role: "user", content: "anything" }], {
    tools: [WEATHER_TOOL], tool_choice: { type: "tool", name: "get_weather" },
  }));
  assert.equal(forced.stop_reason, "tool_use");

  // tool_choice none: the model is not offered the tools, so a /tool line is plain text.
  const none = await invoke(stack.client, CLAUDE, claude([{ role: "user", content: "just talk" }], {
    tools: [WEATHER_TOOL], tool_choice: { type: "none" },
  }));
  assert.deepEqual(none.content, [{ type: "text", text: "just talk" }]);
});

test("stream: Claude's event sequence, invocation metrics on message_stop", async () => {
  for (const client of [stack.client, stack.h1]) {
    const raw = await invokeStream(client, CLAUDE, claude([{ role: "user", content: "stream me please" }]));
    const { chunks, metrics } = withoutMetrics(raw);
    const start = chunks[0] as { type: string; message: Json };
    assert.equal(start.type, "message_start");
    assert.match(start.message.id as string, /^msg_bdrk_01/);
    assert.equal(start.message.model, "claude-3-5-haiku-20241022");
    assert.deepEqual(chunks.slice(1), [
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "stream" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " me" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " please" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 },
      },
      { type: "message_stop" },
    ]);
    assert.equal(metrics.inputTokenCount, 3);
    assert.equal(metrics.outputTokenCount, 3);
    assert.equal(typeof metrics.firstByteLatency, "number");
  }
});

test("stream with a tool call: tool_use block start and input_json_delta pieces that join to the input", async () => {
  const raw = await invokeStream(stack.client, CLAUDE, claude([{ role: "user", content: '/tool get_weather {"city":"Buenos Aires","units":"metric"}' }], {
    tools: [WEATHER_TOOL],
  }));
  const { chunks } = withoutMetrics(raw);
  const start = chunks[1] as { content_block: Json };
  assert.equal(chunks[1].type, "content_block_start");
  assert.equal(start.content_block.type, "tool_use");
  assert.equal(start.content_block.name, "get_weather");
  const pieces = chunks.filter((c) => c.type === "content_block_delta").map((c) => (c.delta as Json));
  assert.ok(pieces.length > 1, "the input JSON arrives in several pieces");
  assert.ok(pieces.every((d) => d.type === "input_json_delta"));
  assert.deepEqual(JSON.parse(pieces.map((d) => d.partial_json).join("")), { city: "Buenos Aires", units: "metric" });
  const delta = chunks.find((c) => c.type === "message_delta") as { delta: Json };
  assert.equal(delta.delta.stop_reason, "tool_use");
});

test("the family can come from the config instead of the id", async () => {
  const out = await invoke(stack.client, CONFIG_CLAUDE, claude([{ role: "user", content: "configured" }]));
  assert.equal(out.type, "message");
  assert.equal(out.model, CONFIG_CLAUDE);
  assert.deepEqual(out.content, [{ type: "text", text: "configured" }]);
});

test("missing anthropic_version / max_tokens and Converse-style keys: Bedrock's schema message", async () => {
  const err = await rejection(invoke(stack.client, CLAUDE, {
    messages: [{ role: "user", content: [{ text: "hi" }] }], inferenceConfig: { maxTokens: 10 },
  }));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(
    err.message,
    'Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: required key [max_tokens] not found' +
      "#: required key [anthropic_version] not found#: extraneous key [inferenceConfig] is not permitted" +
      "#/messages/0/content/0: required key [type] not found, please reformat your input and try again.",
  );

  const stream = await rejection(invokeStream(stack.h1, CLAUDE, { anthropic_version: ANTHROPIC_VERSION, messages: [{ role: "user", content: "x" }] }));
  assert.equal(stream.name, "ValidationException");
  assert.match(stream.message, /#: required key \[max_tokens\] not found, please reformat your input and try again\.$/);

  const version = await rejection(invoke(stack.client, CLAUDE, claude([{ role: "user", content: "x" }], { anthropic_version: 20230531 })));
  assert.match(version.message, /#\/anthropic_version: expected type: String, found: Integer/);

  const role = await rejection(invoke(stack.client, CLAUDE, claude([{ role: "system", content: "x" }], { temperature: 3 })));
  assert.match(role.message, /#\/temperature: 3 is not less or equal to 1/);
  assert.match(role.message, /#\/messages\/0\/role: system is not a valid enum value/);
});
