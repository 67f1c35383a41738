// ConverseStream through the anthropic provider: SSE events become Bedrock events as they arrive.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseStreamCommand, type ConverseStreamCommandInput } from "@aws-sdk/client-bedrock-runtime";
import {
  blockStart, blockStop, message, messageDelta, messageStart, messageStop, messageStream, ping, textBlock, textDelta, thinkingBlock,
  toolUseBlock, type SseStep,
} from "../fakes/anthropic-upstream.js";
import { MODEL_ID, b64, collectEvents, deferred, errorOf, plain, stable, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const ask = (extra: Partial<ConverseStreamCommandInput> = {}) =>
  new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Go" }] }], ...extra });

test("text deltas reach the client before the upstream finishes (HTTP/2 and HTTP/1.1)", { timeout: 15_000 }, async () => {
  for (const client of [stack.client, stack.h1]) {
    const seenFirst = deferred();
    stack.upstream.enqueue({
      sse: [
        messageStart({ input: 12, output: 1 }),
        blockStart(0, { type: "text", text: "" }),
        ping(),
        textDelta(0, "Hel"),
        // The upstream holds the rest back until the client has seen the first delta.
        { wait: seenFirst.promise },
        textDelta(0, "lo"),
        blockStop(0),
        messageDelta("end_turn", 2),
        messageStop(),
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
    const req = await stack.upstream.nextRequest();
    assert.equal(req.body.stream, true);
    assert.equal(req.headers.accept, "text/event-stream");
  }
});

test("text, then two tool calls whose input arrives split mid-JSON", async () => {
  stack.upstream.enqueue({
    sse: messageStream({
      text: ["Checking", " both."],
      tools: [
        { id: "toolu_01A", name: "get_weather", pieces: ["", '{"ci', 'ty": "Pa', 'ris"}'] },
        { id: "toolu_01B", name: "get_time", pieces: [""] },
      ],
      usage: { input: 90, output: 40 },
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
    { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: "toolu_01A", name: "get_weather" } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: "" } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"ci' } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: 'ty": "Pa' } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: 'ris"}' } } } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { contentBlockStart: { contentBlockIndex: 2, start: { toolUse: { toolUseId: "toolu_01B", name: "get_time" } } } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: "" } } } },
    { contentBlockStop: { contentBlockIndex: 2 } },
    { messageStop: { stopReason: "tool_use" } },
    { metadata: { usage: { inputTokens: 90, outputTokens: 40, totalTokens: 130 }, metrics: { latencyMs: "n" } } },
  ]);
  const { body } = await stack.upstream.nextRequest();
  assert.equal((body.tools as unknown[]).length, 2);
});

test("thinking deltas and the signature become reasoningContent deltas; redacted thinking its redactedContent", async () => {
  const SIG = "ErUBCkYIBRgCIkCFxP0Pq7mRnJYwnZ0m";
  const REDACTED = b64("redacted-bytes");
  stack.upstream.enqueue({
    sse: messageStream({ thinking: { pieces: ["Let me count", " the r's."], signature: SIG }, redacted: REDACTED, text: ["3"], usage: { input: 51, output: 94 } }),
  });
  const res = await stack.client.send(ask({ additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } } }));
  const events = stable(await collectEvents(res.stream));
  // The SDK hands redactedContent over as bytes.
  const redacted = events[5].contentBlockDelta as { delta: { reasoningContent: { redactedContent: Uint8Array } } };
  assert.equal(Buffer.from(redacted.delta.reasoningContent.redactedContent).toString("base64"), REDACTED);
  events[5] = { redacted: true };
  assert.deepEqual(events, [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: "Let me count" } } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: " the r's." } } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: SIG } } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { redacted: true },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { text: "3" } } },
    { contentBlockStop: { contentBlockIndex: 2 } },
    { messageStop: { stopReason: "end_turn" } },
    { metadata: { usage: { inputTokens: 51, outputTokens: 94, totalTokens: 145 }, metrics: { latencyMs: "n" } } },
  ]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.thinking, { type: "enabled", budget_tokens: 1024 });
});

test("server-tool blocks are skipped and indices stay dense; stop_sequence via additionalModelResponseFieldPaths", async () => {
  stack.upstream.enqueue({
    sse: [
      messageStart({ input: 30, output: 1 }),
      blockStart(0, { type: "server_tool_use", id: "srvtoolu_01", name: "web_search", input: {} }),
      { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"query":"x"}' } } },
      blockStop(0),
      blockStart(1, { type: "web_search_tool_result", tool_use_id: "srvtoolu_01", content: [] }),
      blockStop(1),
      blockStart(2, { type: "text", text: "" }),
      textDelta(2, "1 2 3"),
      blockStop(2),
      messageDelta("stop_sequence", 7, "END"),
      messageStop(),
    ],
  });
  const res = await stack.client.send(ask({ additionalModelResponseFieldPaths: ["/delta/stop_sequence", "/stop_sequence"] }));
  assert.deepEqual(stable(await collectEvents(res.stream)), [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "1 2 3" } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: "stop_sequence", additionalModelResponseFields: { delta: { stop_sequence: "END" }, stop_sequence: "END" } } },
    { metadata: { usage: { inputTokens: 30, outputTokens: 7, totalTokens: 37 }, metrics: { latencyMs: "n" } } },
  ]);
  await stack.upstream.nextRequest();
});

test("cache counts from message_start reach the metadata event", async () => {
  stack.upstream.enqueue({ sse: messageStream({ text: ["x"], usage: { input: 5, output: 3, cacheRead: 1000, cacheWrite: 24 } }) });
  const res = await stack.client.send(ask());
  const events = await collectEvents(res.stream);
  const metadata = events.at(-1)?.metadata as { usage: unknown };
  assert.deepEqual(metadata.usage, {
    inputTokens: 5, outputTokens: 3, totalTokens: 1032, cacheReadInputTokens: 1000, cacheWriteInputTokens: 24,
    cacheDetails: [{ ttl: "5m", inputTokens: 24 }],
  });
  await stack.upstream.nextRequest();
});

test("SSE split at arbitrary byte boundaries with CRLF line ends is parsed the same", async () => {
  const text = [
    messageStart({ input: 4, output: 1 }), blockStart(0, { type: "text", text: "" }), textDelta(0, "héllo wörld"), blockStop(0),
    messageDelta("max_tokens", 2), messageStop(),
  ].map((s) => ("event" in s ? `event: ${s.event}\r\ndata: ${JSON.stringify(s.data)}\r\n\r\n` : "")).join("");
  const bytes = Buffer.from(text, "utf8");
  // 7-byte pieces: some fall inside "é"/"ö" (two bytes each) and between "\r" and "\n".
  const pieces: SseStep[] = [];
  for (let i = 0; i < bytes.length; i += 7) pieces.push({ bytes: bytes.subarray(i, i + 7) }, { delay: 1 });
  stack.upstream.enqueue({ sse: pieces });
  const res = await stack.client.send(ask());
  const events = stable(await collectEvents(res.stream));
  assert.deepEqual(events.slice(0, 4), [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "héllo wörld" } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: "max_tokens" } },
  ]);
  await stack.upstream.nextRequest();
});

test("a server that ignores stream: true and answers with the whole message still gives a well-formed stream", async () => {
  const SIG = "EqQBCgIYAhIM1gbcDa9G";
  stack.upstream.enqueue({
    json: message({
      content: [thinkingBlock("Weather first.", SIG), textBlock("Let me check."), toolUseBlock("toolu_01W", "get_weather", { city: "Oslo" })],
      usage: { input: 70, output: 33 },
    }),
  });
  const res = await stack.client.send(ask({ toolConfig: { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object" } } } }] } }));
  assert.deepEqual(stable(await collectEvents(res.stream)), [
    { messageStart: { role: "assistant" } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: "Weather first." } } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: SIG } } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { text: "Let me check." } } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { contentBlockStart: { contentBlockIndex: 2, start: { toolUse: { toolUseId: "toolu_01W", name: "get_weather" } } } },
    { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '{"city":"Oslo"}' } } } },
    { contentBlockStop: { contentBlockIndex: 2 } },
    { messageStop: { stopReason: "tool_use" } },
    { metadata: { usage: { inputTokens: 70, outputTokens: 33, totalTokens: 103 }, metrics: { latencyMs: "n" } } },
  ]);
  assert.equal((await stack.upstream.nextRequest()).body.stream, true);

  // JSON that is not a message is the model's error, reported before the stream starts.
  stack.upstream.enqueue({ json: { unexpected: true } });
  const err = await errorOf(stack.client.send(ask()));
  assert.equal(err.name, "ModelErrorException");
  assert.equal(err.$metadata?.httpStatusCode, 424);
  await stack.upstream.nextRequest();
});
