// A declared answer — reasoning with a signature, text, two parallel tool calls, cache usage — arrives intact
// through every operation and client: Converse and ConverseStream (JS SDK over HTTP/2 and HTTP/1.1),
// InvokeModel and its stream with a Claude body (JS SDK, and Anthropic's Bedrock SDK). The script comes from
// the config file's `scripts:`; unmatched prompts still get basalt.echo's answer.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ConverseCommand, ConverseStreamCommand, type ContentBlock } from "@aws-sdk/client-bedrock-runtime";
import { invoke, invokeStream, withoutMetrics } from "../invoke/harness.js";
import { ANTHROPIC_VERSION, CLAUDE, readStream, startDoubles, type DoublesStack } from "./harness.js";

const REASONING = "The user wants two cities. I will call the tool twice in parallel.";
const SIGNATURE = "EqQBCkYIARgCIkB5c2lnbmF0dXJl";
const ANSWER = {
  content: [
    { reasoningContent: { reasoningText: { text: REASONING, signature: SIGNATURE } } },
    { text: "Let me check both cities." },
    { toolUse: { toolUseId: "tooluse_oslo", name: "get_weather", input: { city: "Oslo", units: "metric" } } },
    { toolUse: { toolUseId: "tooluse_lima", name: "get_weather", input: { city: "Lima", units: "metric", details: ["wind", "rain"] } } },
  ],
  stopReason: "tool_use",
  usage: { inputTokens: 21, outputTokens: 48, cacheReadInputTokens: 1200, cacheWriteInputTokens: 300 },
};
const USAGE = { inputTokens: 21, outputTokens: 48, totalTokens: 1569, cacheReadInputTokens: 1200, cacheWriteInputTokens: 300 };

let stack: DoublesStack;
before(async () => {
  stack = await startDoubles(`
models:
  - { id: basalt.echo, provider: echo }
  - { id: "${CLAUDE}", provider: echo }
scripts:
  - id: weather-twice
    match: { text: "weather in Oslo and Lima" }
    respond: ${JSON.stringify(ANSWER)}
`);
});
after(() => stack.close());

const ask = [{ role: "user" as const, content: [{ text: "What is the weather in Oslo and Lima?" }] }];
const tools = { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object" } } } }] };

test("Converse: every block as declared, stop reason and cache usage", async () => {
  for (const modelId of ["basalt.echo", CLAUDE]) {
    const out = await stack.h2.send(new ConverseCommand({ modelId, messages: ask, toolConfig: tools }));
    assert.equal(out.stopReason, "tool_use");
    assert.deepEqual(out.output?.message?.content, ANSWER.content as ContentBlock[]);
    assert.deepEqual(out.usage, USAGE);
  }
  const other = await stack.h2.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "just echo" }] }] }));
  assert.deepEqual(other.output?.message?.content, [{ text: "just echo" }]);
});

test("ConverseStream over HTTP/2 and HTTP/1.1: indices, token deltas, signature after the reasoning, tool JSON in chunks", async () => {
  for (const client of [stack.h2, stack.h1]) {
    const out = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: ask, toolConfig: tools }));
    const { events, names, error } = await readStream(out.stream);
    assert.equal(error, undefined);
    assert.equal(names[0], "messageStart");
    assert.deepEqual(names.slice(-2), ["messageStop", "metadata"]);
    assert.equal(events.at(-2)!.messageStop!.stopReason, "tool_use");
    assert.deepEqual(events.at(-1)!.metadata!.usage, USAGE);
    // Rebuild each block from its events.
    const blocks = new Map<number, { starts: unknown[]; deltas: Record<string, unknown>[]; stopped: boolean }>();
    let lastIndex = -1;
    for (const e of events) {
      const index = e.contentBlockStart?.contentBlockIndex ?? e.contentBlockDelta?.contentBlockIndex ?? e.contentBlockStop?.contentBlockIndex;
      if (index === undefined) continue;
      assert.ok(index >= lastIndex, "blocks come one after another");
      lastIndex = index;
      const b = blocks.get(index) ?? { starts: [], deltas: [], stopped: false };
      blocks.set(index, b);
      assert.equal(b.stopped, false, `no event for block ${index} after its stop`);
      if (e.contentBlockStart) b.starts.push(e.contentBlockStart.start);
      if (e.contentBlockDelta) b.deltas.push(e.contentBlockDelta.delta as unknown as Record<string, unknown>);
      if (e.contentBlockStop) b.stopped = true;
    }
    assert.deepEqual([...blocks.keys()], [0, 1, 2, 3]);
    assert.ok([...blocks.values()].every((b) => b.stopped));
    const reasoning = blocks.get(0)!.deltas.map((d) => d.reasoningContent as { text?: string; signature?: string });
    assert.ok(reasoning.length > 2, "reasoning arrives token by token");
    assert.deepEqual(reasoning.at(-1), { signature: SIGNATURE });
    assert.equal(reasoning.slice(0, -1).map((r) => r.text).join(""), REASONING);
    assert.equal(blocks.get(1)!.deltas.map((d) => d.text).join(""), "Let me check both cities.");
    for (const [index, toolUseId, input] of [[2, "tooluse_oslo", ANSWER.content[2]], [3, "tooluse_lima", ANSWER.content[3]]] as const) {
      const b = blocks.get(index)!;
      assert.deepEqual(b.starts, [{ toolUse: { toolUseId, name: "get_weather" } }]);
      assert.ok(b.deltas.length > 1, "tool input JSON arrives in chunks");
      const json = b.deltas.map((d) => (d.toolUse as { input: string }).input).join("");
      assert.deepEqual(JSON.parse(json), (input as { toolUse: { input: unknown } }).toolUse.input);
    }
  }
});

const claudeBody = {
  anthropic_version: ANTHROPIC_VERSION,
  max_tokens: 1024,
  thinking: { type: "enabled", budget_tokens: 512 },
  tools: [{ name: "get_weather", input_schema: { type: "object" } }],
  messages: [{ role: "user", content: "What is the weather in Oslo and Lima?" }],
};

test("InvokeModel with a Claude body: thinking with its signature and two tool_use blocks", async () => {
  const out = await invoke(stack.h2, CLAUDE, claudeBody);
  assert.deepEqual(out.content, [
    { type: "thinking", thinking: REASONING, signature: SIGNATURE },
    { type: "text", text: "Let me check both cities." },
    { type: "tool_use", id: "tooluse_oslo", name: "get_weather", input: { city: "Oslo", units: "metric" } },
    { type: "tool_use", id: "tooluse_lima", name: "get_weather", input: { city: "Lima", units: "metric", details: ["wind", "rain"] } },
  ]);
  assert.equal(out.stop_reason, "tool_use");
  assert.deepEqual(out.usage, { input_tokens: 21, cache_creation_input_tokens: 300, cache_read_input_tokens: 1200, output_tokens: 48 });
});

test("InvokeModelWithResponseStream with a Claude body: Claude's stream events for each block", async () => {
  const { chunks, metrics } = withoutMetrics(await invokeStream(stack.h2, CLAUDE, claudeBody));
  const starts = chunks.filter((c) => c.type === "content_block_start").map((c) => [c.index, (c.content_block as { type: string }).type]);
  assert.deepEqual(starts, [[0, "thinking"], [1, "text"], [2, "tool_use"], [3, "tool_use"]]);
  const deltas = (index: number) => chunks.filter((c) => c.type === "content_block_delta" && c.index === index).map((c) => c.delta as Record<string, string>);
  assert.equal(deltas(0).filter((d) => d.type === "thinking_delta").map((d) => d.thinking).join(""), REASONING);
  assert.deepEqual(deltas(0).at(-1), { type: "signature_delta", signature: SIGNATURE });
  assert.deepEqual(JSON.parse(deltas(3).map((d) => d.partial_json).join("")), { city: "Lima", units: "metric", details: ["wind", "rain"] });
  const messageDelta = chunks.find((c) => c.type === "message_delta")!;
  assert.equal((messageDelta.delta as { stop_reason: string }).stop_reason, "tool_use");
  assert.equal(metrics.cacheReadInputTokenCount, 1200);
  assert.equal(metrics.cacheWriteInputTokenCount, 300);
});

test("Anthropic's Bedrock SDK: messages.create and messages.stream get the same blocks", async () => {
  const params = {
    model: CLAUDE,
    max_tokens: 1024,
    thinking: { type: "enabled" as const, budget_tokens: 512 },
    tools: [{ name: "get_weather", input_schema: { type: "object" as const } }],
    messages: [{ role: "user" as const, content: "What is the weather in Oslo and Lima?" }],
  };
  const expected = [
    { type: "thinking", thinking: REASONING, signature: SIGNATURE },
    { type: "text", text: "Let me check both cities." },
    { type: "tool_use", id: "tooluse_oslo", name: "get_weather", input: { city: "Oslo", units: "metric" } },
    { type: "tool_use", id: "tooluse_lima", name: "get_weather", input: { city: "Lima", units: "metric", details: ["wind", "rain"] } },
  ];
  const msg = await stack.anthropic.messages.create(params);
  assert.deepEqual(msg.content, expected);
  assert.equal(msg.stop_reason, "tool_use");
  assert.equal(msg.usage.cache_read_input_tokens, 1200);
  const final = await stack.anthropic.messages.stream(params).finalMessage();
  assert.deepEqual(final.content.map((b) => ("citations" in b ? (({ citations: _c, ...rest }) => rest)(b) : b)), expected);
  assert.equal(final.stop_reason, "tool_use");
  assert.equal(final.usage.cache_creation_input_tokens, 300);
});
