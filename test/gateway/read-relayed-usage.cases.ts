// Output tokens read off relayed answers as Bedrock sends them, the bytes passing through unchanged: the
// InvokeModel header, a Converse body, ConverseStream's metadata event and InvokeModelWithResponseStream's
// invocation metrics, with frames split at awkward places.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { RelayedResponse } from "../../src/core/model.js";
import { watchRelayedUsage } from "../../src/gateway/policies/read-relayed-usage.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const event = (type: string, payload: unknown) =>
  codec.encode({
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });

async function* pieces(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function drain(response: RelayedResponse): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of response.body) out.push(Buffer.from(chunk));
  return Buffer.concat(out);
}

async function watched(status: number, headers: Record<string, string>, bytes: Uint8Array, size = 7): Promise<{ tokens: number | undefined | "none"; passed: Buffer }> {
  let tokens: number | undefined | "none" = "none";
  const response = watchRelayedUsage({ status, headers, body: pieces(bytes, size) }, (n) => (tokens = n));
  const passed = await drain(response);
  return { tokens, passed };
}

describe("output tokens of relayed answers", () => {
  it("InvokeModel: the x-amzn-bedrock-output-token-count header", async () => {
    const body = Buffer.from(JSON.stringify({ content: [{ type: "text", text: "hi" }], usage: { output_tokens: 99 } }));
    const r = await watched(200, { "content-type": "application/json", "x-amzn-bedrock-output-token-count": "12" }, body);
    assert.deepEqual([r.tokens, r.passed.equals(body)], [12, true]);
  });

  it("Converse: usage.outputTokens of the JSON body", async () => {
    const body = Buffer.from(JSON.stringify({ output: { message: { role: "assistant", content: [{ text: "x" }] } }, usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 } }));
    const r = await watched(200, { "content-type": "application/json" }, body, 5);
    assert.deepEqual([r.tokens, r.passed.equals(body)], [5, true]);
  });

  it("ConverseStream: the metadata event, frames split across pieces", async () => {
    const bytes = Buffer.concat([
      event("messageStart", { role: "assistant", p: "abc" }),
      event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "hello" } }),
      event("messageStop", { stopReason: "end_turn" }),
      event("metadata", { usage: { inputTokens: 2, outputTokens: 7, totalTokens: 9 }, metrics: { latencyMs: 1 } }),
    ]);
    for (const size of [1, 13, 1000]) {
      const r = await watched(200, { "content-type": "application/vnd.amazon.eventstream" }, bytes, size);
      assert.deepEqual([r.tokens, r.passed.equals(bytes)], [7, true], `pieces of ${size}`);
    }
  });

  it("InvokeModelWithResponseStream: amazon-bedrock-invocationMetrics in the last chunk", async () => {
    const chunk = (payload: unknown) => event("chunk", { bytes: Buffer.from(JSON.stringify(payload)).toString("base64") });
    const bytes = Buffer.concat([
      chunk({ type: "content_block_delta", delta: { type: "text_delta", text: "hi" } }),
      chunk({ type: "message_stop", "amazon-bedrock-invocationMetrics": { inputTokenCount: 4, outputTokenCount: 11, invocationLatency: 5 } }),
    ]);
    const r = await watched(200, { "content-type": "application/vnd.amazon.eventstream" }, bytes, 9);
    assert.deepEqual([r.tokens, r.passed.equals(bytes)], [11, true]);
  });

  it("an error answer is passed as is; an answer without a count reports none", async () => {
    const error: RelayedResponse = { status: 429, headers: {}, body: pieces(Buffer.from("{}"), 2) };
    assert.equal(watchRelayedUsage(error, () => assert.fail("charged an error")), error);
    const r = await watched(200, { "content-type": "application/json" }, Buffer.from("not json"));
    assert.equal(r.tokens, undefined);
  });
});
