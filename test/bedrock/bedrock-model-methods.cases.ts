// The bedrock Model's parsing methods (used when a caller needs typed values instead of relayed bytes, e.g.
// a gateway policy wrapping the model), against a real upstream Basalt; plus the event-stream re-framer and
// the upstream error parser they rely on.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { BedrockError } from "../../src/core/errors.js";
import type { CallContext, Model, StreamEvent } from "../../src/core/model.js";
import { splitEventStreamFrames } from "../../src/formats/event-stream/split.js";
import { createBedrockProvider } from "../../src/providers/bedrock/index.js";
import { parseUpstreamError } from "../../src/providers/bedrock/parse-upstream-error.js";
import type { Provider } from "../../src/providers/provider.js";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { ANONYMOUS } from "../../src/core/caller.js";
import { newCallRecord } from "../../src/core/call-record.js";

process.env.AWS_ACCESS_KEY_ID = "AKIDMETHODS";
process.env.AWS_SECRET_ACCESS_KEY = "methods-secret";
delete process.env.AWS_PROFILE;

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const frame = (type: string, payload: unknown) =>
  codec.encode({
    headers: { ":event-type": { type: "string", value: type }, ":message-type": { type: "string", value: "event" } },
    body: fromUtf8(JSON.stringify(payload)),
  });

const ctx = (): CallContext => ({ requestedModelId: "x", requestId: "r", signal: new AbortController().signal, startedAt: process.hrtime.bigint(), caller: ANONYMOUS, record: newCallRecord({ requestId: "r", frontDoor: "test" }) });
const user = (text: string) => [{ role: "user" as const, content: [{ text }] }];

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("bedrock Model methods against an upstream Basalt", () => {
  let upstream: InProcessBasalt;
  let provider: Provider;
  let model: Model;
  let missing: Model;

  before(async () => {
    upstream = await startInProcess({ config: 'models:\n  - { id: "up.echo-v1:0", provider: echo }\n' });
    provider = createBedrockProvider("aws", { type: "bedrock", region: "us-east-1", endpoint: upstream.url });
    model = provider.model({ id: "served", provider: "aws", model: "up.echo-v1:0" });
    missing = provider.model({ id: "gone", provider: "aws", model: "no.such-v1:0" });
  });
  after(async () => {
    await provider?.close?.();
    await upstream?.stop();
  });

  it("converse parses the upstream's JSON", async () => {
    const out = await model.converse({ messages: user("alpha beta") }, ctx());
    assert.deepEqual(out.output, { message: { role: "assistant", content: [{ text: "alpha beta" }] } });
    assert.deepEqual(out.usage, { inputTokens: 2, outputTokens: 2, totalTokens: 4 });
  });

  it("converseStream decodes the upstream's event stream into events", async () => {
    const events = await collect<StreamEvent>(model.converseStream({ messages: user("alpha beta gamma") }, ctx()));
    assert.deepEqual(events.map((e) => Object.keys(e)[0]), [
      "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
    ]);
    const text = events.map((e) => ("contentBlockDelta" in e ? ((e.contentBlockDelta!.delta as { text?: string }).text ?? "") : "")).join("");
    assert.equal(text, "alpha beta gamma");
  });

  it("countTokens reads inputTokens", async () => {
    assert.equal(await model.countTokens({ converse: { messages: user("a b c") } }, ctx()), 3);
  });

  it("an upstream error becomes the BedrockError it names", async () => {
    for (const call of [
      () => missing.converse({ messages: user("x") }, ctx()),
      () => collect(missing.converseStream({ messages: user("x") }, ctx())),
      () => missing.countTokens({ converse: { messages: user("x") } }, ctx()),
    ]) {
      await assert.rejects(call, (err: unknown) => err instanceof BedrockError && err.errorName === "ValidationException" && /model identifier is invalid/.test(err.message));
    }
  });

  it("relay hands back status, Bedrock headers and the body, without hop-by-hop headers", async () => {
    const r = await model.relay!({ action: "converse", body: Buffer.from(JSON.stringify({ messages: user("hi") })), headers: { "content-type": "application/json" } }, ctx());
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "application/json");
    assert.ok(r.headers["x-amzn-requestid"]);
    assert.equal(r.headers.connection, undefined);
    assert.equal(JSON.parse(Buffer.concat(await collect(r.body)).toString()).output.message.content[0].text, "hi");
  });
});

describe("splitEventStreamFrames", () => {
  const frames = [frame("messageStart", { role: "assistant" }), frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "hé" } })];
  const all = Buffer.concat(frames);
  async function* pieces(sizes: number[], bytes: Uint8Array = all) {
    let at = 0;
    for (const n of sizes) {
      yield bytes.subarray(at, at + n);
      at += n;
    }
    if (at < bytes.length) yield bytes.subarray(at);
  }

  it("re-frames bytes split anywhere or packed together", async () => {
    for (const sizes of [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 200], [all.length], [frames[0].length + 3]]) {
      const out = await collect(splitEventStreamFrames(pieces(sizes)));
      assert.deepEqual(out.map((f) => Buffer.from(f).toString("hex")), frames.map((f) => Buffer.from(f).toString("hex")));
    }
  });

  it("a stream that ends inside a message throws a ModelStreamErrorException", async () => {
    await assert.rejects(collect(splitEventStreamFrames(pieces([], all.subarray(0, all.length - 3)))), (e: unknown) =>
      e instanceof BedrockError && e.errorName === "ModelStreamErrorException");
  });

  it("a corrupt prelude throws rather than waiting for gigabytes", async () => {
    const bad = Buffer.from(all);
    bad[1] = 0x7f; // total length ≈ 2 GB, prelude CRC now wrong
    await assert.rejects(collect(splitEventStreamFrames(pieces([], bad))), /corrupt/);
  });
});

describe("parseUpstreamError", () => {
  it("reads x-amzn-errortype, then __type / code, then the status", () => {
    const t = (status: number, type: string | undefined, body: string) => {
      const e = parseUpstreamError(status, type, body);
      return [e.errorName, e.message];
    };
    assert.deepEqual(t(429, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", '{"message":"Too many requests"}'), ["ThrottlingException", "Too many requests"]);
    assert.deepEqual(t(404, undefined, '{"__type":"com.amazon.coral#ResourceNotFoundException","message":"nope"}'), ["ResourceNotFoundException", "nope"]);
    assert.deepEqual(t(403, "InvalidSignatureException", '{"Message":"The request signature we calculated does not match"}'), ["AccessDeniedException", "The request signature we calculated does not match"]);
    assert.deepEqual(t(502, undefined, "<html>bad gateway</html>"), ["InternalServerException", "Upstream answered HTTP 502."]);
    const withFields = parseUpstreamError(424, "ModelErrorException", '{"message":"m","originalStatusCode":500,"resourceName":"r"}');
    assert.deepEqual(withFields.fields, { originalStatusCode: 500, resourceName: "r" });
  });
});
