// OpenAI-style bodies (openai.gpt-oss-*) through the AWS SDK: Chat Completions in, chat.completion out,
// chat.completion.chunk streams; tools, reasoning tags, validation, CountTokens, and an OpenAI-compatible
// backend (where unmapped fields ride along as additionalModelRequestFields).
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

test("chat.completion: id, object, model, choices with finish_reason, usage", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, ECHO.openai, {
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi" },
        { role: "user", content: [{ type: "text", text: "What is gpt-oss?" }] },
      ],
      max_completion_tokens: 100, temperature: 0.7, top_p: 0.9,
    });
    const { id, created, ...rest } = out;
    assert.match(String(id), /^chatcmpl-[0-9a-f]+$/);
    assert.equal(typeof created, "number");
    assert.deepEqual(rest, {
      object: "chat.completion",
      model: ECHO.openai,
      choices: [{ index: 0, message: { role: "assistant", content: "What is gpt-oss?" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
  }
});

test("max_tokens / max_completion_tokens → finish_reason length; stop as a string", async () => {
  const cut = await invoke(stack.client, ECHO.openai, { messages: [{ role: "user", content: "a b c d" }], max_tokens: 2 });
  assert.deepEqual((cut.choices as Json[])[0], { index: 0, message: { role: "assistant", content: "a b" }, finish_reason: "length" });
  const stopped = await invoke(stack.client, ECHO.openai, { messages: [{ role: "user", content: "a b STOP c" }], stop: "STOP" });
  assert.equal(((stopped.choices as Json[])[0].message as Json).content, "a b ");
});

test("tools: tool_calls with JSON arguments and content null; tool messages answer them", async () => {
  const call = await invoke(stack.client, ECHO.openai, {
    messages: [{ role: "user", content: '/tool get_weather {"city":"Paris"}' }], tools: [WEATHER], tool_choice: "auto",
  });
  const choice = (call.choices as Json[])[0];
  assert.equal(choice.finish_reason, "tool_calls");
  const message = choice.message as { content: unknown; tool_calls: { id: string; type: string; function: { name: string; arguments: string } }[] };
  assert.equal(message.content, null);
  assert.equal(message.tool_calls[0].type, "function");
  assert.equal(message.tool_calls[0].function.name, "get_weather");
  assert.deepEqual(JSON.parse(message.tool_calls[0].function.arguments), { city: "Paris" });

  const answer = await invoke(stack.client, ECHO.openai, {
    messages: [
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "rain" },
    ],
    tools: [WEATHER],
  });
  assert.equal(((answer.choices as Json[])[0].message as Json).content, "toolResult call_1 success: rain");
});

test("stream: role chunk, content deltas, finish_reason and usage on the last chunk", async () => {
  const { chunks, metrics } = withoutMetrics(await invokeStream(stack.client, ECHO.openai, { messages: [{ role: "user", content: "oss streams" }] }));
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk" && c.model === ECHO.openai && c.id === chunks[0].id));
  assert.deepEqual(chunks.map((c) => (c.choices as Json[])[0]), [
    { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null },
    { index: 0, delta: { content: "oss" }, finish_reason: null },
    { index: 0, delta: { content: " streams" }, finish_reason: null },
    { index: 0, delta: {}, finish_reason: "stop" },
  ]);
  assert.deepEqual(chunks[3].usage, { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 });
  assert.equal(metrics.inputTokenCount, 2);

  const tool = withoutMetrics(await invokeStream(stack.h1, ECHO.openai, {
    messages: [{ role: "user", content: '/tool get_weather {"city":"a long city name"}' }], tools: [WEATHER], tool_choice: "required",
  })).chunks;
  const deltas = tool.map((c) => ((c.choices as Json[])[0].delta as { tool_calls?: { id?: string; function: { name?: string; arguments: string } }[] }).tool_calls?.[0]).filter((d) => d !== undefined);
  assert.equal(deltas[0].function.name, "get_weather");
  assert.ok(deltas[0].id);
  assert.deepEqual(JSON.parse(deltas.map((d) => d.function.arguments).join("")), { city: "a long city name" });
  assert.equal((tool[tool.length - 1].choices as Json[])[0].finish_reason, "tool_calls");
});

test("invalid bodies: schema messages; a model field naming another model is refused", async () => {
  const cases: [unknown, string][] = [
    [{ max_tokens: 5 }, malformed("#: required key [messages] not found")],
    [{ messages: [{ role: "robot", content: "x" }] }, malformed("#/messages/0/role: robot is not a valid enum value")],
    [{ messages: [{ role: "user", content: "x" }], temperature: 3 }, malformed("#/temperature: 3 is not less or equal to 2")],
    [{ messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: {} }] }, malformed("#/tools/0/function: required key [name] not found")],
  ];
  for (const [body, message] of cases) {
    const err = await rejection(invoke(stack.client, ECHO.openai, body));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.message, message);
  }
  const wrong = await rejection(invoke(stack.client, ECHO.openai, { model: "gpt-4o", messages: [{ role: "user", content: "x" }] }));
  assert.equal(wrong.name, "ValidationException");
  assert.match(wrong.message, /gpt-4o/);
  const same = await invoke(stack.client, ECHO.openai, { model: ECHO.openai, messages: [{ role: "user", content: "fine" }], stream: false });
  assert.equal(((same.choices as Json[])[0].message as Json).content, "fine");
});

test("CountTokens counts system and messages", async () => {
  assert.equal(await countTokens(stack.client, ECHO.openai, { messages: [{ role: "system", content: "be kind" }, { role: "user", content: "three words here" }] }), 5);
});

test("OpenAI-compatible backend: messages pass through, extra fields ride along, reasoning comes back in tags", async () => {
  stack.upstream.enqueue({ json: completion({ content: "42", reasoningContent: "thinking hard", usage: { prompt: 15, completion: 6 } }) });
  const out = await invoke(stack.client, UPSTREAM.openai, {
    messages: [{ role: "system", content: "Answer with a number." }, { role: "user", content: "The answer?" }],
    max_completion_tokens: 50, reasoning_effort: "low",
  });
  const choice = (out.choices as Json[])[0];
  assert.deepEqual(choice.message, { role: "assistant", content: "<reasoning>thinking hard</reasoning>42" });
  assert.deepEqual(out.usage, { prompt_tokens: 15, completion_tokens: 6, total_tokens: 21 });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [{ role: "system", content: "Answer with a number." }, { role: "user", content: "The answer?" }]);
  assert.equal(body.max_tokens, 50);
  assert.equal(body.reasoning_effort, "low");
});
