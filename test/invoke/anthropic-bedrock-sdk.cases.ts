// Anthropic's own Bedrock SDK (@anthropic-ai/bedrock-sdk) pointed at Basalt: it builds
// /model/{model}/invoke and /invoke-with-response-stream itself, moves anthropic-version into the body,
// signs with SigV4 and turns the event stream back into Anthropic's SSE events.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BadRequestError } from "@anthropic-ai/sdk";
import { CLAUDE, CONFIG_CLAUDE, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

test("messages.create: a text reply with usage", async () => {
  const msg = await stack.anthropic.messages.create({
    model: CLAUDE,
    max_tokens: 100,
    system: "You repeat.",
    messages: [{ role: "user", content: "Hello from the Anthropic SDK" }],
  });
  assert.equal(msg.type, "message");
  assert.equal(msg.role, "assistant");
  assert.match(msg.id, /^msg_bdrk_/);
  assert.deepEqual(msg.content, [{ type: "text", text: "Hello from the Anthropic SDK" }]);
  assert.equal(msg.stop_reason, "end_turn");
  assert.equal(msg.usage.input_tokens, 7);
  assert.equal(msg.usage.output_tokens, 5);
});

test("messages.stream: text events arrive in order and the final message carries the usage", async () => {
  const stream = stack.anthropic.messages.stream({
    model: CLAUDE,
    max_tokens: 100,
    messages: [{ role: "user", content: "streamed words arrive one by one" }],
  });
  const texts: string[] = [];
  stream.on("text", (t) => texts.push(t));
  const final = await stream.finalMessage();
  assert.deepEqual(texts, ["streamed", " words", " arrive", " one", " by", " one"]);
  assert.equal(final.content.length, 1);
  const block = final.content[0];
  assert.equal(block.type, "text");
  if (block.type === "text") assert.equal(block.text, "streamed words arrive one by one");
  assert.equal(final.stop_reason, "end_turn");
  assert.equal(final.usage.input_tokens, 6);
  assert.equal(final.usage.output_tokens, 6);
});

test("create with stream: true yields the raw event types in Claude's order", async () => {
  const events = await stack.anthropic.messages.create({
    model: CONFIG_CLAUDE,
    max_tokens: 50,
    stream: true,
    messages: [{ role: "user", content: "raw events" }],
  });
  const types: string[] = [];
  for await (const e of events) types.push(e.type);
  assert.deepEqual(types, [
    "message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
  ]);
});

test("tool use: create returns a tool_use block, the tool result goes back, the stream accumulates the input", async () => {
  const first = await stack.anthropic.messages.create({
    model: CLAUDE,
    max_tokens: 100,
    tools: [WEATHER_TOOL],
    messages: [{ role: "user", content: '/tool get_weather {"city":"Lima"}' }],
  });
  assert.equal(first.stop_reason, "tool_use");
  const call = first.content[0];
  assert.equal(call.type, "tool_use");
  if (call.type !== "tool_use") return;
  assert.equal(call.name, "get_weather");
  assert.deepEqual(call.input, { city: "Lima" });

  const second = await stack.anthropic.messages.create({
    model: CLAUDE,
    max_tokens: 100,
    tools: [WEATHER_TOOL],
    messages: [
      { role: "user", content: '/tool get_weather {"city":"Lima"}' },
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "18C and cloudy" }] },
    ],
  });
  assert.deepEqual(second.content.map((b) => b.type === "text" && b.text), [`toolResult ${call.id} success: 18C and cloudy`]);

  const streamed = await stack.anthropic.messages.stream({
    model: CLAUDE,
    max_tokens: 100,
    tools: [WEATHER_TOOL],
    tool_choice: { type: "tool", name: "get_weather" },
    messages: [{ role: "user", content: '/tool get_weather {"city":"Reykjavik","detail":"hourly forecast please"}' }],
  }).finalMessage();
  assert.equal(streamed.stop_reason, "tool_use");
  const block = streamed.content[0];
  assert.equal(block.type, "tool_use");
  if (block.type === "tool_use") assert.deepEqual(block.input, { city: "Reykjavik", detail: "hourly forecast please" });
});

test("validation errors arrive as the SDK's BadRequestError with Bedrock's message", async () => {
  // The SDK always sends anthropic_version; a bad max_tokens shows the schema check.
  await assert.rejects(
    stack.anthropic.messages.create({ model: CLAUDE, max_tokens: 0, messages: [{ role: "user", content: "x" }] }),
    (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.status, 400);
      assert.match(err.message, /Malformed input request: .*#\/max_tokens: 0 is not greater or equal to 1/);
      assert.match(err.headers?.get("x-amzn-errortype") ?? "", /^ValidationException/);
      return true;
    },
  );
  await assert.rejects(
    stack.anthropic.messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: [{ type: "video", data: "x" } as never] }] }),
    (err: unknown) => err instanceof BadRequestError && /#\/messages\/0\/content\/0\/type: video is not a valid enum value/.test(err.message),
  );
});

test("what Claude itself refuses after Bedrock's schema passes: no messages, empty or blank text", async () => {
  const refused = async (messages: never[], message: string) =>
    assert.rejects(stack.anthropic.messages.create({ model: CLAUDE, max_tokens: 10, messages }), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.message, `400 ${message}`);
      return true;
    });
  await refused([], "messages: at least one message is required");
  await refused([{ role: "user", content: "" }] as never[], "messages: text content blocks must be non-empty");
  await refused([{ role: "user", content: [{ type: "text", text: " \n" }] }] as never[], "messages: text content blocks must contain non-whitespace text");
  // The last assistant message is a prefill: its rules are its own, and it is not refused here.
  const msg = await stack.anthropic.messages.create({
    model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "Say" }, { role: "assistant", content: "Sure" }],
  });
  assert.equal(msg.type, "message");
});

test("structured output: output_config.format in the Claude body is answered to the schema; a bad format is refused", async () => {
  const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
  const msg = await stack.anthropic.messages.create({
    model: CLAUDE, max_tokens: 100, output_config: { format: { type: "json_schema", schema } },
    messages: [{ role: "user", content: "Lyon" }],
  } as never);
  const text = msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  assert.deepEqual(JSON.parse(text), { city: "Lyon" });
  // Claude's own rule, as Bedrock reports it: an object schema must close additionalProperties.
  await assert.rejects(
    stack.anthropic.messages.create({
      model: CLAUDE, max_tokens: 100, output_config: { format: { type: "json_schema", schema: { type: "object", properties: {} } } },
      messages: [{ role: "user", content: "x" }],
    } as never),
    (err: unknown) => err instanceof BadRequestError && /additionalProperties/.test(err.message),
  );
  await assert.rejects(
    stack.anthropic.messages.create({ model: CLAUDE, max_tokens: 100, output_config: { format: "json" }, messages: [{ role: "user", content: "x" }] } as never),
    (err: unknown) => err instanceof BadRequestError && /output_config\/format/.test(err.message),
  );
});

test("search_result blocks in a Claude body reach the model, as Claude on Bedrock takes them", async () => {
  const msg = await stack.anthropic.messages.create({
    model: CLAUDE, max_tokens: 100,
    messages: [{ role: "user", content: [{ type: "text", text: "read" }, { type: "search_result", source: "https://x", title: "X", content: [{ type: "text", text: "found it" }] }] }],
  } as never);
  assert.deepEqual(msg.content, [{ type: "text", text: "read\nfound it" }]);
});
