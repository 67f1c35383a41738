// Native bodies served by another backend: Claude and Nova ids routed to the OpenAI-compatible provider
// and its fake Chat Completions upstream. Checks what the upstream received and what the clients got.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { chatStream, chunk, completion } from "../fakes/openai-upstream.js";
import {
  ANTHROPIC_VERSION, OPENAI_CLAUDE, OPENAI_NOVA, invoke, invokeStream, startStack, withoutMetrics, type Json, type Stack,
} from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } } },
};

test("Claude body → Chat Completions request → Claude response", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Bonjour!", usage: { prompt: 21, completion: 3 } }) });
  const out = await invoke(stack.client, OPENAI_CLAUDE, {
    anthropic_version: ANTHROPIC_VERSION,
    max_tokens: 64,
    temperature: 0.3,
    stop_sequences: ["\n\nHuman:"],
    system: [{ type: "text", text: "Answer in French." }],
    messages: [
      { role: "user", content: "Say hello" },
      { role: "assistant", content: [{ type: "text", text: "Hello?" }] },
      { role: "user", content: [{ type: "text", text: "In French" }] },
    ],
  });
  const { id: _id, ...rest } = out;
  assert.deepEqual(rest, {
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-20250514",
    content: [{ type: "text", text: "Bonjour!" }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body, {
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Answer in French." },
      { role: "user", content: "Say hello" },
      { role: "assistant", content: "Hello?" },
      { role: "user", content: "In French" },
    ],
    max_tokens: 64,
    temperature: 0.3,
    stop: ["\n\nHuman:"],
  });
});

test("Claude tool use through the Anthropic SDK: tools go upstream as functions, tool_calls come back as tool_use", async () => {
  stack.upstream.enqueue({
    json: completion({ toolCalls: [{ id: "call_abc", name: "get_weather", arguments: '{"city":"Rome"}' }], usage: { prompt: 40, completion: 9 } }),
  });
  const msg = await stack.anthropic.messages.create({
    model: OPENAI_CLAUDE,
    max_tokens: 100,
    tools: [WEATHER_TOOL as never],
    tool_choice: { type: "any" },
    messages: [{ role: "user", content: "Weather in Rome?" }],
  });
  assert.equal(msg.stop_reason, "tool_use");
  assert.deepEqual(msg.content, [{ type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Rome" } }]);
  assert.equal(msg.usage.input_tokens, 40);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.tools, [{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: WEATHER_TOOL.input_schema } }]);
  assert.equal(body.tool_choice, "required");
});

test("Claude stream through the Anthropic SDK from an SSE upstream", async () => {
  stack.upstream.enqueue({ sse: chatStream({ text: ["Ciao", " mondo"], usage: { prompt: 12, completion: 2 } }) });
  const texts: string[] = [];
  const stream = stack.anthropic.messages.stream({ model: OPENAI_CLAUDE, max_tokens: 20, messages: [{ role: "user", content: "hi" }] });
  stream.on("text", (t) => texts.push(t));
  const final = await stream.finalMessage();
  assert.deepEqual(texts, ["Ciao", " mondo"]);
  assert.equal(final.usage.input_tokens, 12);
  assert.equal(final.usage.output_tokens, 2);
  assert.equal((await stack.upstream.nextRequest()).body.stream, true);
});

test("Claude stream over the AWS SDK: invocation metrics carry the upstream's token counts", async () => {
  stack.upstream.enqueue({
    sse: chatStream({ toolCalls: [{ id: "call_1", name: "get_weather", argumentPieces: ['{"ci', 'ty":"Oslo"}'] }], usage: { prompt: 30, completion: 7 } }),
  });
  const raw = await invokeStream(stack.h1, OPENAI_CLAUDE, {
    anthropic_version: ANTHROPIC_VERSION, max_tokens: 50, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "Oslo?" }],
  });
  const { chunks, metrics } = withoutMetrics(raw);
  assert.deepEqual(chunks.slice(1), [
    { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "call_1", name: "get_weather", input: {} } },
    { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"ci' } },
    { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: 'ty":"Oslo"}' } },
    { type: "content_block_stop", index: 0 },
    {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 7 },
    },
    { type: "message_stop" },
  ]);
  assert.equal(metrics.inputTokenCount, 30);
  assert.equal(metrics.outputTokenCount, 7);
  await stack.upstream.nextRequest();
});

test("an upstream cut mid-stream ends the InvokeModel stream with an exception event", async () => {
  stack.upstream.enqueue({
    sse: [
      { data: chunk({ role: "assistant", content: "" }, { usage: null }) },
      { data: chunk({ content: "partial" }, { usage: null }) },
      { data: chunk({ content: " answer" }, { usage: null }) },
      { delay: 50 },
      { destroy: true },
    ],
  });
  const res = await stack.client.send(new InvokeModelWithResponseStreamCommand({
    modelId: OPENAI_CLAUDE, contentType: "application/json",
    body: JSON.stringify({ anthropic_version: ANTHROPIC_VERSION, max_tokens: 50, messages: [{ role: "user", content: "go" }] }),
  }));
  const seen: Json[] = [];
  let failure: Error | undefined;
  try {
    for await (const event of res.body ?? []) {
      if (event.chunk?.bytes) seen.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)) as Json);
    }
  } catch (err) {
    failure = err as Error;
  }
  assert.ok(failure, "the stream must end with an error, not a silent cut");
  assert.equal(failure.name, "ModelStreamErrorException");
  assert.equal(seen[0].type, "message_start");
  assert.ok(!seen.some((c) => c.type === "message_stop"));
  await stack.upstream.nextRequest();
});

test("Nova body on the OpenAI backend: invoke and stream", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Nova via OpenAI", usage: { prompt: 8, completion: 3 } }) });
  const out = await invoke(stack.client, OPENAI_NOVA, {
    schemaVersion: "messages-v1",
    messages: [{ role: "user", content: [{ text: "hi" }] }],
    inferenceConfig: { max_new_tokens: 30, topP: 0.5 },
  });
  assert.deepEqual(out, {
    output: { message: { role: "assistant", content: [{ text: "Nova via OpenAI" }] } },
    stopReason: "end_turn",
    usage: { inputTokens: 8, outputTokens: 3, totalTokens: 11, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.equal(body.max_tokens, 30);
  assert.equal(body.top_p, 0.5);

  stack.upstream.enqueue({ sse: chatStream({ text: ["A", "B"], usage: { prompt: 5, completion: 2 } }) });
  const { chunks, metrics } = withoutMetrics(await invokeStream(stack.client, OPENAI_NOVA, { messages: [{ role: "user", content: [{ text: "go" }] }] }));
  assert.deepEqual(chunks.map((c) => Object.keys(c)[0]), [
    "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
  ]);
  assert.equal(metrics.inputTokenCount, 5);
  await stack.upstream.nextRequest();
});
