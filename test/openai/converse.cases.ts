// Converse through the openai provider: what the SDK gets back and what the Chat Completions upstream
// received, for text, system, history, inference settings, extra fields, usage and stop reasons.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { completion, errorBody } from "../fakes/openai-upstream.js";
import { API_KEY, MODEL_ID, UPSTREAM_MODEL, errorOf, startStack, type Stack } from "./harness.js";
import type { RunningBasalt } from "../helpers/start-basalt.js";

// The real CLI, not in-process: these tests also read its logs.
let stack: Stack<RunningBasalt>;
before(async () => (stack = await startStack({ spawn: true })));
after(() => stack.close());

test("text reply, system blocks and multi-turn history, over HTTP/2 and HTTP/1.1", async () => {
  for (const client of [stack.client, stack.h1]) {
    stack.upstream.enqueue({ json: completion({ content: "Paris is the capital.", usage: { prompt: 31, completion: 5 } }) });
    const out = await client.send(new ConverseCommand({
      modelId: MODEL_ID,
      system: [{ text: "You are terse." }, { cachePoint: { type: "default" } }, { text: "Answer in English." }],
      messages: [
        { role: "user", content: [{ text: "Hi" }] },
        { role: "assistant", content: [{ text: "Hello!" }] },
        { role: "user", content: [{ text: "Capital of France?" }] },
      ],
    }));
    assert.deepEqual(out.output?.message, { role: "assistant", content: [{ text: "Paris is the capital." }] });
    assert.equal(out.stopReason, "end_turn");
    assert.deepEqual(out.usage, { inputTokens: 31, outputTokens: 5, totalTokens: 36 });
    assert.equal(typeof out.metrics?.latencyMs, "number");

    const req = await stack.upstream.nextRequest();
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/v1/chat/completions");
    assert.equal(req.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(req.headers["openai-organization"], "org-basalt");
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(req.body, {
      model: UPSTREAM_MODEL,
      messages: [
        { role: "system", content: "You are terse.\nAnswer in English." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Capital of France?" },
      ],
    });
  }
});

test("the API key never reaches the log", async () => {
  assert.ok(!stack.basalt.output().includes(API_KEY));
});

test("inferenceConfig maps to max_tokens, temperature, top_p and stop; additional fields are merged", async () => {
  stack.upstream.enqueue({ json: completion({ content: "ok" }) });
  await stack.client.send(new ConverseCommand({
    modelId: MODEL_ID,
    messages: [{ role: "user", content: [{ text: "Go" }] }],
    inferenceConfig: { maxTokens: 256, temperature: 0.25, topP: 0.5, stopSequences: ["END", "###"] },
    additionalModelRequestFields: { top_k: 40, repetition_penalty: 1.1, reasoning_effort: "low" },
  }));
  const { body } = await stack.upstream.nextRequest();
  assert.equal(body.max_tokens, 256);
  assert.equal(body.temperature, 0.25);
  assert.equal(body.top_p, 0.5);
  assert.deepEqual(body.stop, ["END", "###"]);
  assert.equal(body.top_k, 40);
  assert.equal(body.repetition_penalty, 1.1);
  assert.equal(body.reasoning_effort, "low");
  assert.equal(body.stream, undefined);
});

test("an additional field colliding with a translated one is refused as Bedrock refuses it, before any upstream call", async () => {
  const before = stack.upstream.requests.length;
  const err = await errorOf(stack.client.send(new ConverseCommand({
    modelId: MODEL_ID,
    messages: [{ role: "user", content: [{ text: "Go" }] }],
    inferenceConfig: { temperature: 0.2 },
    additionalModelRequestFields: { temperature: 0.9 },
  })));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.message, "The additional field temperature conflicts with the existing field inferenceConfig.temperature. Remove temperature and try again.");
  assert.equal(stack.upstream.requests.length, before);
});

test("additionalModelResponseFieldPaths are answered from the upstream response", async () => {
  stack.upstream.enqueue({ json: { ...completion({ content: "ok" }), service_tier: "default" } });
  const out = await stack.client.send(new ConverseCommand({
    modelId: MODEL_ID,
    messages: [{ role: "user", content: [{ text: "Go" }] }],
    additionalModelResponseFieldPaths: ["/system_fingerprint", "/choices/0/finish_reason", "/usage/prompt_tokens_details/cached_tokens", "/no_such_field"],
  }));
  assert.deepEqual(out.additionalModelResponseFields, {
    system_fingerprint: "fp_3a5f7c1e2b",
    choices: { "0": { finish_reason: "stop" } },
    usage: { prompt_tokens_details: { cached_tokens: 0 } },
  });
  await stack.upstream.nextRequest();
});

test("a response field path that is not a JSON pointer is a ValidationException", async () => {
  const err = await errorOf(stack.client.send(new ConverseCommand({
    modelId: MODEL_ID,
    messages: [{ role: "user", content: [{ text: "Go" }] }],
    additionalModelResponseFieldPaths: ["system_fingerprint"],
  })));
  assert.equal(err.name, "ValidationException");
  assert.match(err.message, /system_fingerprint is not a valid JSON pointer/);
});

test("cached prompt tokens become cacheReadInputTokens", async () => {
  stack.upstream.enqueue({ json: completion({ content: "ok", usage: { prompt: 2006, completion: 300, cached: 1920 } }) });
  const out = await stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Go" }] }] }));
  assert.deepEqual(out.usage, { inputTokens: 86, outputTokens: 300, totalTokens: 2306, cacheReadInputTokens: 1920 });
  await stack.upstream.nextRequest();
});

test("finish reasons map to Bedrock stop reasons", async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ finishReason: "stop" }, "end_turn"],
    [{ finishReason: "length" }, "max_tokens"],
    [{ finishReason: "content_filter" }, "content_filtered"],
    // vLLM names the stop string that matched; that is a stop sequence.
    [{ finishReason: "stop", stopReason: "END" }, "stop_sequence"],
    // ...and a stop token id when the model ended on its own.
    [{ finishReason: "stop", stopReason: 128009 }, "end_turn"],
  ];
  for (const [opts, expected] of cases) {
    stack.upstream.enqueue({ json: completion({ content: "partial", ...opts }) });
    const out = await stack.client.send(new ConverseCommand({
      modelId: MODEL_ID,
      messages: [{ role: "user", content: [{ text: "Go" }] }],
      inferenceConfig: { stopSequences: ["END"] },
    }));
    assert.equal(out.stopReason, expected, JSON.stringify(opts));
    await stack.upstream.nextRequest();
  }
});

test("reasoning_content (vLLM, DeepSeek) and reasoning (Ollama) become reasoningContent blocks", async () => {
  for (const field of ["reasoningContent", "reasoning"] as const) {
    stack.upstream.enqueue({ json: completion({ content: "42", [field]: "Six times seven." }) });
    const out = await stack.client.send(new ConverseCommand({
      modelId: MODEL_ID,
      messages: [{ role: "user", content: [{ text: "6*7?" }] }],
      additionalModelRequestFields: { reasoning_effort: "high" },
    }));
    assert.deepEqual(out.output?.message?.content, [
      { reasoningContent: { reasoningText: { text: "Six times seven." } } },
      { text: "42" },
    ]);
    const { body } = await stack.upstream.nextRequest();
    assert.equal(body.reasoning_effort, "high");
  }
});

test("reasoning from earlier assistant turns is not sent back upstream", async () => {
  stack.upstream.enqueue({ json: completion({ content: "ok" }) });
  await stack.client.send(new ConverseCommand({
    modelId: MODEL_ID,
    messages: [
      { role: "user", content: [{ text: "Q1" }] },
      { role: "assistant", content: [{ reasoningContent: { reasoningText: { text: "thinking" } } }, { text: "A1" }] },
      { role: "user", content: [{ text: "Q2" }] },
    ],
  }));
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [
    { role: "user", content: "Q1" },
    { role: "assistant", content: "A1" },
    { role: "user", content: "Q2" },
  ]);
});

test("an upstream without usage gets an estimate", async () => {
  stack.upstream.enqueue({ json: completion({ content: "one two three four", usage: null }) });
  const out = await stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "count to four please" }] }] }));
  // 20 characters / 4 + 4 per message; 18 characters / 4 rounded up.
  assert.deepEqual(out.usage, { inputTokens: 9, outputTokens: 5, totalTokens: 14 });
  await stack.upstream.nextRequest();
});

test("upstream 400 is a ValidationException carrying the upstream's message", async () => {
  stack.upstream.enqueue({ status: 400, json: errorBody("'messages' must contain the word 'json' in some form", "invalid_request_error", null, "messages") });
  const err = await errorOf(stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Go" }] }] })));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(err.message, "The model returned the following errors: 'messages' must contain the word 'json' in some form");
  await stack.upstream.nextRequest();
});
