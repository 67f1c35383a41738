// The hand-written event-stream frame encoder must produce exactly the bytes of @smithy/eventstream-codec,
// the codec every AWS SDK decodes with (it replaced the codec on the per-event hot path).
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { encodeEvent, encodeException } from "../../src/formats/event-stream/encode.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const smithy = (kind: "event" | "exception", type: string, payload: unknown) =>
  codec.encode({
    headers: {
      [kind === "event" ? ":event-type" : ":exception-type"]: { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: kind },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });

const payloads: [string, unknown][] = [
  ["messageStart", { role: "assistant" }],
  ["contentBlockDelta", { contentBlockIndex: 0, delta: { text: " héllo wörld — 🚀 数据" } }],
  ["contentBlockDelta", { contentBlockIndex: 3, delta: { text: "" } }],
  ["contentBlockDelta", { contentBlockIndex: 0, delta: { text: "x".repeat(70_000) } }],
  ["contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_1", name: "get_weather" } } }],
  ["messageStop", { stopReason: "end_turn", additionalModelResponseFields: { a: [1, 2, { b: null }] } }],
  ["metadata", { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, metrics: { latencyMs: 0 } }],
  ["chunk", { bytes: Buffer.from("{\"x\":1}").toString("base64") }],
];

test("event frames are byte-identical to @smithy/eventstream-codec's", () => {
  for (const [type, payload] of payloads) {
    // Twice: the second call uses the cached header block.
    for (let i = 0; i < 2; i++) assert.deepEqual(Buffer.from(encodeEvent(type, payload)), Buffer.from(smithy("event", type, payload)), type);
  }
});

test("exception frames are byte-identical and decode as exceptions", () => {
  const payload = { message: "The server is shutting down. Retry your request.", originalStatusCode: 503 };
  const bytes = encodeException("serviceUnavailableException", payload);
  assert.deepEqual(Buffer.from(bytes), Buffer.from(smithy("exception", "serviceUnavailableException", payload)));
  const decoded = codec.decode(bytes);
  assert.equal(decoded.headers[":message-type"].value, "exception");
  assert.deepEqual(JSON.parse(toUtf8(decoded.body)), payload);
});
