// A whole Converse answer decomposed into ConverseStream events (src/core/output-as-stream.ts): block
// indices, text per token, reasoning then signature, tool input JSON in chunks, citations, images, stop
// and metadata — and every block reassembles to what it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { outputAsStream } from "../../src/core/output-as-stream.js";
import type { ConverseOutput, StreamEvent } from "../../src/core/model.js";

const rich: ConverseOutput = {
  output: {
    message: {
      role: "assistant",
      content: [
        { reasoningContent: { reasoningText: { text: "Two cities, so two calls.", signature: "sig-abc" } } },
        { text: "Checking both." },
        { toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Oslo", units: "metric", days: [1, 2, 3] } } },
        { toolUse: { toolUseId: "tooluse_2", name: "get_weather", input: { city: "Lima" } } },
        { reasoningContent: { redactedContent: "cmVkYWN0ZWQ=" } },
        { citationsContent: { content: [{ text: "The sky is blue." }], citations: [{ title: "doc", location: { documentChar: { documentIndex: 0, start: 0, end: 16 } } }] } },
        { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } },
      ],
    },
  },
  stopReason: "tool_use",
  usage: { inputTokens: 10, outputTokens: 20, totalTokens: 40, cacheReadInputTokens: 7, cacheWriteInputTokens: 3 },
  metrics: { latencyMs: 12 },
  additionalModelResponseFields: { stop_sequence: null },
  trace: { guardrail: { actionReason: "none" } },
};

const name = (e: StreamEvent) => Object.keys(e)[0];

test("events come in Bedrock's order with one stop per block and the right indices", () => {
  const events = outputAsStream(rich);
  assert.equal(name(events[0]), "messageStart");
  assert.deepEqual(events.at(-2), { messageStop: { stopReason: "tool_use", additionalModelResponseFields: { stop_sequence: null } } });
  assert.deepEqual(events.at(-1), {
    metadata: { usage: rich.usage, metrics: { latencyMs: 12 }, trace: { guardrail: { actionReason: "none" } } },
  });
  const stops = events.filter((e) => e.contentBlockStop).map((e) => e.contentBlockStop!.contentBlockIndex);
  assert.deepEqual(stops, [0, 1, 2, 3, 4, 5, 6]);
  // Every block event comes before its block's stop and after the previous block's stop.
  let current = 0;
  for (const e of events.slice(1, -2)) {
    const index = (e.contentBlockStart ?? e.contentBlockDelta ?? e.contentBlockStop)!.contentBlockIndex;
    assert.equal(index, current);
    if (e.contentBlockStop) current++;
  }
});

test("each block reassembles from its deltas", () => {
  const events = outputAsStream(rich);
  const deltas = (i: number) => events.filter((e) => e.contentBlockDelta?.contentBlockIndex === i).map((e) => e.contentBlockDelta!.delta);
  // Reasoning: text per token, then the signature as the last delta.
  const r = deltas(0);
  assert.ok(r.length > 2);
  assert.deepEqual(r.at(-1), { reasoningContent: { signature: "sig-abc" } });
  assert.equal(r.slice(0, -1).map((d) => ("reasoningContent" in d && "text" in d.reasoningContent ? d.reasoningContent.text : "?")).join(""), "Two cities, so two calls.");
  // Text: one delta per token, joined back exactly.
  const t = deltas(1);
  assert.equal(t.length, 2);
  assert.equal(t.map((d) => ("text" in d ? d.text : "?")).join(""), "Checking both.");
  // Tool use: a start with id and name, then the input JSON in several chunks.
  const start = events.find((e) => e.contentBlockStart?.contentBlockIndex === 2)!.contentBlockStart!.start;
  assert.deepEqual(start, { toolUse: { toolUseId: "tooluse_1", name: "get_weather" } });
  const json = deltas(2).map((d) => ("toolUse" in d ? d.toolUse.input : "?"));
  assert.ok(json.length > 1, "input JSON is chunked");
  assert.deepEqual(JSON.parse(json.join("")), { city: "Oslo", units: "metric", days: [1, 2, 3] });
  assert.deepEqual(JSON.parse(deltas(3).map((d) => ("toolUse" in d ? d.toolUse.input : "?")).join("")), { city: "Lima" });
  assert.deepEqual(deltas(4), [{ reasoningContent: { redactedContent: "cmVkYWN0ZWQ=" } }]);
  // Citations ahead of the cited text.
  const c = deltas(5);
  assert.deepEqual(c[0], { citation: { title: "doc", location: { documentChar: { documentIndex: 0, start: 0, end: 16 } } } });
  assert.equal(c.slice(1).map((d) => ("text" in d ? d.text : "?")).join(""), "The sky is blue.");
  // Image: a start with the format, then the source.
  assert.deepEqual(events.find((e) => e.contentBlockStart?.contentBlockIndex === 6)!.contentBlockStart!.start, { image: { format: "png" } });
  assert.deepEqual(deltas(6), [{ image: { source: { bytes: "iVBORw0KGgo=" } } }]);
});

test("an empty text block is still one delta; a custom splitter is honoured", () => {
  const out: ConverseOutput = { ...rich, output: { message: { role: "assistant", content: [{ text: "" }, { text: "a b c" }] } } };
  const events = outputAsStream(out, { splitText: (s) => [s] });
  const deltas = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!.delta);
  assert.deepEqual(deltas, [{ text: "" }, { text: "a b c" }]);
});
