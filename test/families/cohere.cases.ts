// Cohere Command R bodies through the AWS SDK: message, chat_history, preamble, documents, tools and
// tool_results; the response's chat_history; Cohere's stream events; validation, CountTokens, and an
// OpenAI-compatible backend.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { completion } from "../fakes/openai-upstream.js";
import {
  ECHO, UPSTREAM, countTokens, invoke, invokeStream, malformed, rejection, startFamilyStack, withoutMetrics,
  type FamilyStack, type Json,
} from "./harness.js";

let stack: FamilyStack;
before(async () => (stack = await startFamilyStack()));
after(() => stack.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WEATHER = {
  name: "get_weather",
  description: "Weather for a city",
  parameter_definitions: { city: { description: "City name", type: "str", required: true } },
};

test("message and history: text, finish_reason, and the history extended by this turn", async () => {
  for (const client of [stack.client, stack.h1]) {
    const history = [{ role: "USER", message: "Hello" }, { role: "CHATBOT", message: "Hi there" }];
    const out = await invoke(client, ECHO.cohere, {
      message: "Tell me about basalt", chat_history: history, preamble: "You are a geologist.",
      max_tokens: 100, temperature: 0.3, p: 0.9, k: 50,
    });
    const { response_id, generation_id, ...rest } = out;
    assert.match(String(response_id), UUID);
    assert.match(String(generation_id), UUID);
    assert.deepEqual(rest, {
      text: "Tell me about basalt",
      chat_history: [...history, { role: "USER", message: "Tell me about basalt" }, { role: "CHATBOT", message: "Tell me about basalt" }],
      finish_reason: "COMPLETE",
      meta: { api_version: { version: "1" }, billed_units: { input_tokens: 11, output_tokens: 4 }, tokens: { input_tokens: 11, output_tokens: 4 } },
    });
  }
});

test("max_tokens → MAX_TOKENS; documents join the system prompt and count as input", async () => {
  const out = await invoke(stack.client, ECHO.cohere, { message: "a b c d", max_tokens: 2, documents: [{ title: "Rocks", snippet: "Basalt is volcanic." }] });
  assert.equal(out.text, "a b");
  assert.equal(out.finish_reason, "MAX_TOKENS");
  // "Document 0:" + "title: Rocks" + "snippet: Basalt is volcanic." = 2 + 2 + 4 tokens, plus the 4 of the message.
  assert.deepEqual((out.meta as Json).tokens, { input_tokens: 12, output_tokens: 2 });
});

test("tools: a call comes back as tool_calls; tool_results answer the history's call", async () => {
  const call = await invoke(stack.client, ECHO.cohere, { message: '/tool get_weather {"city":"Paris"}', tools: [WEATHER] });
  assert.deepEqual(call.tool_calls, [{ name: "get_weather", parameters: { city: "Paris" } }]);
  assert.equal(call.finish_reason, "COMPLETE");

  const answer = await invoke(stack.client, ECHO.cohere, {
    message: "",
    chat_history: [
      { role: "USER", message: "Weather in Paris?" },
      { role: "CHATBOT", message: "", tool_calls: [{ name: "get_weather", parameters: { city: "Paris" } }] },
    ],
    tools: [WEATHER],
    tool_results: [{ call: { name: "get_weather", parameters: { city: "Paris" } }, outputs: [{ forecast: "sunny" }] }],
  });
  assert.equal(answer.text, 'toolResult cohere_call_0 success: {"forecast":"sunny"}');
});

test("stream: stream-start, text-generation pieces, stream-end with the whole response", async () => {
  const { chunks, metrics } = withoutMetrics(await invokeStream(stack.client, ECHO.cohere, { message: "cohere streams" }));
  assert.equal(chunks.length, 4);
  assert.equal(chunks[0].event_type, "stream-start");
  assert.equal(chunks[0].is_finished, false);
  assert.match(String(chunks[0].generation_id), UUID);
  assert.deepEqual(chunks.slice(1, 3), [
    { is_finished: false, event_type: "text-generation", text: "cohere" },
    { is_finished: false, event_type: "text-generation", text: " streams" },
  ]);
  const end = chunks[3];
  assert.equal(end.is_finished, true);
  assert.equal(end.event_type, "stream-end");
  assert.equal(end.finish_reason, "COMPLETE");
  const response = end.response as Json;
  assert.equal(response.text, "cohere streams");
  assert.equal(response.generation_id, chunks[0].generation_id);
  assert.deepEqual(response.chat_history, [{ role: "USER", message: "cohere streams" }, { role: "CHATBOT", message: "cohere streams" }]);
  assert.equal(metrics.outputTokenCount, 2);

  const tool = withoutMetrics(await invokeStream(stack.h1, ECHO.cohere, { message: '/tool get_weather {"city":"Oslo"}', tools: [WEATHER] })).chunks;
  assert.deepEqual(tool.map((c) => c.event_type), ["stream-start", "tool-calls-generation", "stream-end"]);
  assert.deepEqual(tool[1].tool_calls, [{ name: "get_weather", parameters: { city: "Oslo" } }]);
});

test("invalid bodies: Bedrock's schema messages", async () => {
  const cases: [unknown, string][] = [
    [{ chat_history: [] }, malformed("#: required key [message] not found")],
    [{ message: "x", stream: true }, malformed("#: extraneous key [stream] is not permitted")],
    [{ message: "x", chat_history: [{ role: "BOT", message: "y" }] }, malformed("#/chat_history/0/role: BOT is not a valid enum value")],
    [{ message: "x", tool_results: [{ outputs: [] }] }, malformed("#/tool_results/0: required key [call] not found")],
    [{ message: "x", p: 1 }, malformed("#/p: 1 is not less or equal to 0.99")],
  ];
  for (const [body, message] of cases) {
    const err = await rejection(invoke(stack.client, ECHO.cohere, body));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.message, message);
  }
});

test("CountTokens counts preamble, history and message", async () => {
  assert.equal(await countTokens(stack.client, ECHO.cohere, {
    message: "three words here", preamble: "be kind", chat_history: [{ role: "USER", message: "one" }, { role: "CHATBOT", message: "two" }],
  }), 7);
});

test("OpenAI-compatible backend: preamble and history go upstream as messages, tools as functions", async () => {
  stack.upstream.enqueue({ json: completion({ toolCalls: [{ id: "call_9", name: "get_weather", arguments: '{"city":"Rome"}' }], finishReason: "tool_calls" }) });
  const out = await invoke(stack.client, UPSTREAM.cohere, {
    message: "Weather in Rome?", preamble: "Be brief.", chat_history: [{ role: "USER", message: "Hi" }, { role: "CHATBOT", message: "Hello" }],
    tools: [WEATHER],
  });
  assert.deepEqual(out.tool_calls, [{ name: "get_weather", parameters: { city: "Rome" } }]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
    { role: "user", content: "Weather in Rome?" },
  ]);
  const tools = body.tools as { function: { name: string; parameters: unknown } }[];
  assert.equal(tools[0].function.name, "get_weather");
  assert.deepEqual(tools[0].function.parameters, {
    type: "object", properties: { city: { type: "string", description: "City name" } }, required: ["city"],
  });
});
