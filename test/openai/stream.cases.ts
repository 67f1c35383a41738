// ConverseStream through the openai provider: SSE chunks become Bedrock events as they arrive.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseStreamCommand, type ConverseStreamCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { chatStream, chunk, usageChunk } from "../fakes/openai-upstream.js";
import { MODEL_ID, collectEvents, deferred, plain, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const ask = (extra: Partial<ConverseStreamCommandInput> = {}) =>
  new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Go" }] }], ...extra });

/** Events with metrics.latencyMs (which varies) replaced by a marker. */
function stable(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.map((e) => {
    const m = e.metadata as { metrics?: { latencyMs?: unknown } } | undefined;
    if (!m?.metrics) return e;
    assert.equal(typeof m.metrics.latencyMs, "number");
    return { metadata: { ...m, metrics: { latencyMs: "n" } } };
  });
}

test("text deltas reach the client before the upstream finishes (HTTP/2 and HTTP/1.1)", { timeout: 15_000 }, async () => {
  for (const client of [stack.client, stack.h1]) {
    const seenFirst = deferred();
    stack.upstream.enqueue({
      sse: [
        { data: chunk({ role: "assistant", content: "" }, { usage: null }) },
        { data: chunk({ content: "Hel" }, { usage: null }) },
        // The upstream holds the rest back until the client has seen the first delta.
        { wait: seenFirst.promise },
        { data: chunk({ content: "lo" }, { usage: null }) },
        { data: chunk({}, { finishReason: "stop", usage: null }) },
        { data: usageChunk({ prompt: 12, completion: 2 }) },
        { data: "[DONE]" },
      ],
    });
    const res = await client.send(ask());
    const events: Record<string, unknown>[] = [];
    for await (const event of res.stream ?? []) {
      events.push(plain(event));
      if (event.contentBlockDelta) seenFirst.resolve();
    }
    assert.deepEqual(stable(events), [
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hel" } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "lo" } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: "end_turn" } },
      { metadata: { usage: { inputTokens: 12, outputTokens: 2, totalTokens: 14 }, metrics: { latencyMs: "n" } } },
    ]);
    const { body } = await stack.upstream.nextRequest();
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
  }
});

test("text, then two tool calls whose arguments arrive split mid-JSON", async () => {
  stack.upstream.enqueue({
    sse: chatStream({
      text: ["Checking", " both."],
      toolCalls: [
        { id: "call_Aa1", name: "get_weather", argumentPieces: ['{"ci', 'ty": "Pa', 'ris"}'] },
        { id: "call_Bb2", name: "get_time", argumentPieces: ['{"tz":', '"CET"}'] },
      ],
      usage: { prompt: 90, completion: 40 },
    }),
  });
  const tools = [
    { toolSpec: { name: "get_weather", inputSchema: { json: { type: "object" } } } },
    { toolSpec: { name: "get_time", inputSchema: { json: { type: "object" } } } },
  ];
  const res = await stack.client.send(ask({ toolConfig: { tools } }));
  assert.deepEqual(stable(await collectEvents(res.stream)), [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Checking" } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: " both." } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: "call_Aa1", name: "get_weather" } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"ci' } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: 'ty": "Pa' } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: 'ris"}' } } } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { contentBlockStart: { contentBlockIndex: 2, start: { toolUse: { toolUseId: "call_Bb2", name: "get_time" } } } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '{"tz":' } } } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '"CET"}' } } } },
    { contentBlockStop: { contentBlockIndex: 2 } },
    { messageStop: { stopReason: "tool_use" } },
    { metadata: { usage: { inputTokens: 90, outputTokens: 40, totalTokens: 130 }, metrics: { latencyMs: "n" } } },
  ]);
  const { body } = await stack.upstream.nextRequest();
  assert.equal((body.tools as unknown[]).length, 2);
});

test("a tool call sent whole in one chunk without arguments still yields parseable input", async () => {
  // Ollama sends each call complete in one chunk.
  stack.upstream.enqueue({
    sse: [
      { data: chunk({ role: "assistant", content: "", tool_calls: [{ index: 0, id: "call_z", type: "function", function: { name: "get_time", arguments: "" } }] }) },
      { data: chunk({}, { finishReason: "tool_calls" }) },
      { data: "[DONE]" },
    ],
  });
  const res = await stack.client.send(ask({ toolConfig: { tools: [{ toolSpec: { name: "get_time", inputSchema: { json: { type: "object" } } } }] } }));
  const events = await collectEvents(res.stream);
  assert.deepEqual(events.slice(1, 4), [
    { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: "call_z", name: "get_time" } } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: "{}" } } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
  ]);
  assert.deepEqual(events[4], { messageStop: { stopReason: "tool_use" } });
  await stack.upstream.nextRequest();
});

test("reasoning_content (vLLM) and reasoning (Ollama) deltas become reasoningContent deltas in their own block", async () => {
  for (const key of ["reasoningContent", "reasoning"] as const) {
    stack.upstream.enqueue({ sse: chatStream({ [key]: ["Six times", " seven."], text: ["42"], usage: { prompt: 10, completion: 8 } }) });
    const res = await stack.client.send(ask({ additionalModelRequestFields: { reasoning_effort: "medium" } }));
    assert.deepEqual(stable(await collectEvents(res.stream)).slice(0, 7), [
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: "Six times" } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: " seven." } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { text: "42" } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: "end_turn" } },
    ]);
    const { body } = await stack.upstream.nextRequest();
    assert.equal(body.reasoning_effort, "medium");
  }
});

test("stop reasons, cached usage and response field paths arrive in messageStop and metadata", async () => {
  stack.upstream.enqueue({ sse: chatStream({ text: ["partial"], finishReason: "length", usage: { prompt: 500, completion: 16, cached: 448 } }) });
  let res = await stack.client.send(ask({ inferenceConfig: { maxTokens: 16 }, additionalModelResponseFieldPaths: ["/system_fingerprint", "/choices/0/finish_reason"] }));
  let events = stable(await collectEvents(res.stream));
  assert.deepEqual(events.slice(-2), [
    { messageStop: { stopReason: "max_tokens", additionalModelResponseFields: { system_fingerprint: "fp_3a5f7c1e2b", choices: { "0": { finish_reason: "length" } } } } },
    { metadata: { usage: { inputTokens: 52, outputTokens: 16, totalTokens: 516, cacheReadInputTokens: 448 }, metrics: { latencyMs: "n" } } },
  ]);
  assert.equal((await stack.upstream.nextRequest()).body.max_tokens, 16);

  // vLLM reports the stop string that matched.
  stack.upstream.enqueue({ sse: chatStream({ text: ["a b"], finishReason: "stop", stopReason: "END" }) });
  res = await stack.client.send(ask({ inferenceConfig: { stopSequences: ["END"] } }));
  events = await collectEvents(res.stream);
  assert.deepEqual(events.at(-2), { messageStop: { stopReason: "stop_sequence" } });
  assert.deepEqual((await stack.upstream.nextRequest()).body.stop, ["END"]);

  stack.upstream.enqueue({ sse: chatStream({ text: ["blocked"], finishReason: "content_filter" }) });
  res = await stack.client.send(ask());
  assert.deepEqual((await collectEvents(res.stream)).at(-2), { messageStop: { stopReason: "content_filtered" } });
  await stack.upstream.nextRequest();
});

test("a stream without a usage chunk reports an estimate", async () => {
  stack.upstream.enqueue({ sse: chatStream({ text: ["four", " words", " right", " here"], usage: null }) });
  const res = await stack.client.send(ask());
  const events = stable(await collectEvents(res.stream));
  // "Go": 1 token + 4 per message; 21 characters out → 6.
  assert.deepEqual(events.at(-1), { metadata: { usage: { inputTokens: 5, outputTokens: 6, totalTokens: 11 }, metrics: { latencyMs: "n" } } });
  await stack.upstream.nextRequest();
});

test("SSE split at odd places, CRLF line ends and keep-alive comments parse the same", async () => {
  const a = JSON.stringify(chunk({ role: "assistant", content: "Hi" }));
  const b = JSON.stringify(chunk({}, { finishReason: "stop" }));
  stack.upstream.enqueue({
    sse: [
      { raw: ": ping\r\n\r\n" },
      { raw: `data: ${a.slice(0, 17)}` },
      { delay: 20 },
      { raw: `${a.slice(17)}\r\n\r\ndata: ${b}\r\n` },
      { delay: 20 },
      { raw: "\r\ndata: [DONE]\r\n\r\n" },
    ],
  });
  const res = await stack.client.send(ask());
  const events = await collectEvents(res.stream);
  assert.deepEqual(events.slice(0, 4), [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hi" } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: "end_turn" } },
  ]);
  await stack.upstream.nextRequest();
});
