// Mistral bodies through the AWS SDK: text completion ([INST] prompts, outputs[]) and the chat format of
// Mistral Large 2407+ (messages, tools, choices[]), picked from the body; streams, validation, CountTokens,
// and an OpenAI-compatible backend.
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

const WEATHER = {
  type: "function",
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

test("text completion: the last [INST] answers; outputs[] with stop_reason", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, ECHO.mistral, {
      prompt: "<s>[INST] What is your favourite condiment? [/INST] Lemon juice.</s> [INST] Do you have mayonnaise recipes? [/INST]",
      max_tokens: 50, temperature: 0.5, top_p: 0.9, top_k: 50,
    });
    assert.deepEqual(out, { outputs: [{ text: "Do you have mayonnaise recipes?", stop_reason: "stop" }] });
  }
  const cut = await invoke(stack.client, ECHO.mistral, { prompt: "<s>[INST] a b c d [/INST]", max_tokens: 3 });
  assert.deepEqual(cut, { outputs: [{ text: "a b c", stop_reason: "length" }] });
  const plain = await invoke(stack.client, ECHO.mistral, { prompt: "no template here", stop: ["here"] });
  assert.deepEqual(plain, { outputs: [{ text: "no template ", stop_reason: "stop" }] });
});

test("text completion stream: outputs fragments, stop_reason on the last", async () => {
  const { chunks, metrics } = withoutMetrics(await invokeStream(stack.client, ECHO.mistral, { prompt: "<s>[INST] mistral streams [/INST]" }));
  assert.deepEqual(chunks, [
    { outputs: [{ text: "mistral", stop_reason: null }] },
    { outputs: [{ text: " streams", stop_reason: "stop" }] },
  ]);
  assert.equal(metrics.inputTokenCount, 2);
});

test("chat format: system, history and the reply in choices[] with usage", async () => {
  const out = await invoke(stack.client, ECHO.mistralChat, {
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "which llm are you?" },
      { role: "assistant", content: "Mistral." },
      { role: "user", content: "really?" },
    ],
    max_tokens: 100, temperature: 0.3,
  });
  const { id, created, ...rest } = out;
  assert.equal(typeof id, "string");
  assert.equal(typeof created, "number");
  assert.deepEqual(rest, {
    object: "chat.completion",
    model: ECHO.mistralChat,
    choices: [{ index: 0, message: { role: "assistant", content: "really?" }, stop_reason: "stop" }],
    usage: { prompt_tokens: 8, total_tokens: 9, completion_tokens: 1 },
  });
});

test("chat format tools: a tool call comes back as tool_calls, a tool result goes in as a tool message", async () => {
  const call = await invoke(stack.client, ECHO.mistralChat, {
    messages: [{ role: "user", content: '/tool get_weather {"city":"Paris"}' }], tools: [WEATHER], tool_choice: "auto",
  });
  const choice = (call.choices as Json[])[0];
  assert.equal(choice.stop_reason, "tool_calls");
  const toolCalls = (choice.message as { tool_calls: { id: string; type: string; function: { name: string; arguments: string } }[] }).tool_calls;
  assert.equal(toolCalls.length, 1);
  assert.equal(toolCalls[0].function.name, "get_weather");
  assert.deepEqual(JSON.parse(toolCalls[0].function.arguments), { city: "Paris" });

  const result = await invoke(stack.client, ECHO.mistralChat, {
    messages: [
      { role: "user", content: "weather in Paris?" },
      { role: "assistant", content: "", tool_calls: [{ id: "call1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call1", content: "sunny" },
    ],
    tools: [WEATHER],
  });
  assert.equal(((result.choices as Json[])[0].message as Json).content, "toolResult call1 success: sunny");
});

test("chat format stream: message fragments, then tool calls, stop_reason and usage on the last chunk", async () => {
  const text = withoutMetrics(await invokeStream(stack.client, ECHO.mistralChat, { messages: [{ role: "user", content: "chat streams" }] })).chunks;
  assert.deepEqual(text.map((c) => (c.choices as Json[])[0]), [
    { index: 0, message: { role: "assistant", content: "chat" }, stop_reason: null },
    { index: 0, message: { role: "assistant", content: " streams" }, stop_reason: "stop" },
  ]);
  assert.deepEqual(text[1].usage, { prompt_tokens: 2, total_tokens: 4, completion_tokens: 2 });
  assert.equal(text[0].object, "chat.completion.chunk");

  const tool = withoutMetrics(await invokeStream(stack.h1, ECHO.mistralChat, {
    messages: [{ role: "user", content: '/tool get_weather {"city":"Lyon"}' }], tools: [WEATHER], tool_choice: "any",
  })).chunks;
  const last = (tool[tool.length - 1].choices as Json[])[0];
  assert.equal(last.stop_reason, "tool_calls");
  const calls = (last.message as { tool_calls: { function: { name: string; arguments: string } }[] }).tool_calls;
  assert.deepEqual(JSON.parse(calls[0].function.arguments), { city: "Lyon" });
});

test("invalid bodies: the style's own schema messages", async () => {
  const cases: [string, unknown, string][] = [
    [ECHO.mistral, { max_tokens: 5 }, malformed("#: required key [prompt] not found")],
    [ECHO.mistral, { prompt: "x", stop_sequences: ["a"] }, malformed("#: extraneous key [stop_sequences] is not permitted")],
    [ECHO.mistral, { prompt: "x", top_k: 500 }, malformed("#/top_k: 500 is not less or equal to 200")],
    [ECHO.mistralChat, { messages: [{ content: "hi" }] }, malformed("#/messages/0: required key [role] not found")],
    [ECHO.mistralChat, { messages: [{ role: "user", content: "hi" }], tool_choice: "required" }, malformed("#/tool_choice: required is not a valid enum value")],
    [ECHO.mistralChat, { messages: "hi" }, malformed("#/messages: expected type: JSONArray, found: String")],
  ];
  for (const [id, body, message] of cases) {
    const err = await rejection(invoke(stack.client, id, body));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.message, message);
  }
});

test("CountTokens: both styles", async () => {
  assert.equal(await countTokens(stack.client, ECHO.mistral, { prompt: "<s>[INST] three words here [/INST]" }), 3);
  assert.equal(await countTokens(stack.client, ECHO.mistralChat, { messages: [{ role: "system", content: "sys" }, { role: "user", content: "two words" }] }), 3);
});

test("OpenAI-compatible backend: [INST] turns become messages; top_k rides along as an extra field", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Use lemon.", usage: { prompt: 10, completion: 2 } }) });
  const out = await invoke(stack.client, UPSTREAM.mistral, { prompt: "<s>[INST] Condiment? [/INST]", max_tokens: 8, top_k: 40 });
  assert.deepEqual(out, { outputs: [{ text: "Use lemon.", stop_reason: "stop" }] });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [{ role: "user", content: "Condiment?" }]);
  assert.equal(body.max_tokens, 8);
  assert.equal(body.top_k, 40);
});
