// The cassettes policy in process: record then replay with the backend gone gives the same answers (JSON,
// streams with their error, CountTokens, relayed event streams); matching ignores key order and volatile
// members; files are readable, scrubbed and editable; a replay miss names the request and the directory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { encodeEvent } from "../../src/formats/event-stream/encode.js";
import { BedrockError } from "../../src/core/errors.js";
import type { ConverseInput, Model, RelayCall, RelayedResponse, StreamEvent } from "../../src/core/model.js";
import { cassettesPolicy } from "../../src/gateway/policies/cassettes/cassettes-policy.js";
import { cassetteConfigSchema } from "../../src/config/cassette-config.js";
import { CassetteMissError } from "../../src/gateway/policies/cassettes/cassette-miss.js";
import { callContext, CountingBackend, drain, say } from "./in-process.js";

const SECRET = "sk-test-0123456789abcdefghij";

/** A backend whose answers carry things a cassette must not keep. */
class LeakyBackend extends CountingBackend {
  stopped = false;
  override answer() {
    const a = super.answer();
    a.trace = { guardrail: { modelOutput: [`arn:aws:bedrock:us-east-1:123456789012:guardrail/abc key ${SECRET}`] } };
    return a;
  }
  override async converse() {
    if (this.stopped) throw new Error("backend called while stopped");
    return super.converse();
  }
  override async *converseStream(input: ConverseInput): AsyncIterable<StreamEvent> {
    if (this.stopped) throw new Error("backend called while stopped");
    yield* super.converseStream();
    if (input.messages?.[0].content.some((b) => "text" in b && b.text === "fail")) throw new BedrockError("ModelStreamErrorException", "broke", { originalStatusCode: 500 });
  }
}

function policyPair(mode: "record" | "replay" | "auto", dir: string, extra: object = {}) {
  return cassettesPolicy({ config: cassetteConfigSchema.parse({ mode, dir, ...extra }), secrets: [SECRET] });
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
function* splitFrames(bytes: Buffer): Iterable<Buffer> {
  for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) yield bytes.subarray(at, at + bytes.readUInt32BE(at));
}

const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));

test("record, then replay with the backend stopped: identical answers; no secret or account id in the files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cassettes-"));
  const backend = new LeakyBackend();
  const recorder = policyPair("record", dir)(backend);
  const input: ConverseInput = { ...say("hello"), inferenceConfig: { maxTokens: 50, temperature: 0.5 } };
  const recorded = await recorder.converse(input, callContext());
  const recordedStream = await drain(recorder.converseStream(input, callContext()));
  const recordedFail = await drain(recorder.converseStream(say("fail"), callContext()));
  const recordedCount = await recorder.countTokens({ converse: say("hello") }, callContext());
  assert.equal(backend.calls, 4);
  assert.equal(files(dir).length, 4);

  backend.stopped = true;
  const player = policyPair("replay", dir)(backend);
  // Same request with keys in another order and a client token: still a hit.
  const reordered = { inferenceConfig: { temperature: 0.5, maxTokens: 50 }, messages: input.messages, requestMetadata: { run: "2" } } as ConverseInput;
  const replayed = await player.converse(reordered, callContext());
  const { trace, ...rest } = recorded;
  const { trace: replayedTrace, ...replayedRest } = replayed;
  assert.deepEqual(replayedRest, rest);
  assert.deepEqual(replayedTrace, { guardrail: { modelOutput: ["arn:aws:bedrock:us-east-1:000000000000:guardrail/abc key [scrubbed]"] } });
  assert.ok(trace, "the live answer kept its trace");
  // Streams: the same events, their trace scrubbed like the JSON answer's.
  const scrubbed = (events: StreamEvent[]) => events.map((e) => (e.metadata ? { metadata: { ...e.metadata, trace: replayedTrace } } : e));
  assert.deepEqual(await drain(player.converseStream(input, callContext())), { events: scrubbed(recordedStream.events) });
  const failed = await drain(player.converseStream(say("fail"), callContext()));
  assert.deepEqual(failed.events, scrubbed(recordedFail.events));
  assert.equal((failed.error as BedrockError).errorName, "ModelStreamErrorException");
  assert.deepEqual((failed.error as BedrockError).fields, { originalStatusCode: 500 });
  assert.equal(await player.countTokens({ converse: say("hello") }, callContext()), recordedCount);

  for (const f of files(dir)) {
    const text = readFileSync(join(dir, f), "utf8");
    assert.ok(!text.includes(SECRET) && !text.includes("123456789012"), `${f} leaks`);
    assert.ok(text.includes("\n  "), "indented, readable JSON");
  }
});

test("a replay miss is a typed error naming the request and the cassette directory", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cassettes-"));
  const player = policyPair("replay", dir)(new LeakyBackend());
  await assert.rejects(player.converse(say("never recorded"), callContext()), (e: unknown) => {
    assert.ok(e instanceof CassetteMissError);
    assert.equal(e.errorName, "ResourceNotFoundException");
    assert.match(e.message, /never recorded/);
    assert.match(e.message, /converse backend\.model/);
    assert.ok(e.message.includes(dir.split("/").at(-1)!), e.message);
    return true;
  });
});

test("a cassette edited by hand replays as edited; an edited request still matches", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cassettes-"));
  await policyPair("record", dir)(new LeakyBackend()).converse(say("original"), callContext());
  const [file] = files(dir);
  const cassette = JSON.parse(readFileSync(join(dir, file), "utf8"));
  cassette.request.body.messages[0].content[0].text = "edited question";
  cassette.response.output.output.message.content[0].text = "edited answer";
  // Written back compact and with keys reordered: still a cassette.
  writeFileSync(join(dir, file), JSON.stringify({ response: cassette.response, request: cassette.request, recordedAt: "x", basaltCassette: 1 }));
  const out = await policyPair("replay", dir)(new LeakyBackend()).converse(say("edited question"), callContext());
  assert.deepEqual(out.output, { message: { role: "assistant", content: [{ text: "edited answer" }] } });
});

test("auto replays what it has and records the rest; errors are not pinned in auto mode", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cassettes-"));
  const backend = new LeakyBackend();
  const auto = policyPair("auto", dir)(backend);
  await auto.converse(say("a"), callContext());
  await auto.converse(say("a"), callContext());
  await auto.converse(say("b"), callContext());
  assert.equal(backend.calls, 2);
  await drain(auto.converseStream(say("fail"), callContext()));
  assert.equal(files(dir).length, 2, "the failed stream was not recorded");
});

test("pacing: recorded keeps the gaps between stream events", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cassettes-"));
  const slow: Model = {
    id: "slow.model",
    converse: () => Promise.reject(new Error("unused")),
    async *converseStream() {
      yield { messageStart: { role: "assistant" } };
      await new Promise((r) => setTimeout(r, 150));
      yield { messageStop: { stopReason: "end_turn" } };
    },
    countTokens: async () => 0,
  };
  await drain(policyPair("record", dir)(slow).converseStream(say("x"), callContext()));
  const started = Date.now();
  await drain(policyPair("replay", dir)(slow).converseStream(say("x"), callContext()));
  const fast = Date.now() - started;
  const pacedStart = Date.now();
  await drain(policyPair("replay", dir, { pacing: "recorded" })(slow).converseStream(say("x"), callContext()));
  assert.ok(Date.now() - pacedStart >= 140, "recorded pacing waits");
  assert.ok(fast < Date.now() - pacedStart, "unpaced replay is quicker");
});

test("a relayed Bedrock answer (event stream and JSON) is taped and played back; headers scrubbed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cassettes-"));
  const chunk = (o: object) => encodeEvent("chunk", { bytes: Buffer.from(JSON.stringify(o)).toString("base64"), p: "abcdef" });
  let upstreamCalls = 0;
  const relaying: Model = {
    id: "anthropic.claude-x",
    converse: () => Promise.reject(new Error("unused")),
    converseStream: () => { throw new Error("unused"); },
    countTokens: async () => 0,
    async relay(call: RelayCall): Promise<RelayedResponse> {
      upstreamCalls++;
      if (call.action === "invoke") {
        return { status: 200, headers: { "content-type": "application/json", "x-amzn-requestid": "rid-123", "x-amzn-bedrock-input-token-count": "3" }, body: (async function* () { yield Buffer.from('{"content":[{"type":"text","text":"hi"}]}'); })() };
      }
      return {
        status: 200,
        headers: { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "rid-456" },
        body: (async function* () {
          const a = chunk({ type: "message_start" });
          const b = chunk({ type: "message_stop" });
          // Split across pieces, as a socket delivers them.
          yield a.subarray(0, 10);
          yield Buffer.concat([a.subarray(10), b]);
        })(),
      };
    },
  };
  const call = (action: string): RelayCall => ({ action, body: Buffer.from('{"messages":[{"role":"user","content":"hi"}],"max_tokens":5}'), headers: { "content-type": "application/json" } });
  const collect = async (r: RelayedResponse) => {
    const parts: Uint8Array[] = [];
    for await (const p of r.body) parts.push(p);
    return Buffer.concat(parts);
  };
  const recorder = policyPair("record", dir)(relaying);
  const liveJson = await recorder.relay!(call("invoke"), callContext());
  const liveJsonBody = await collect(liveJson);
  const liveStreamBody = await collect(await recorder.relay!(call("invoke-with-response-stream"), callContext()));
  assert.equal(upstreamCalls, 2);

  const player = policyPair("replay", dir)(relaying);
  const json = await player.relay!(call("invoke"), callContext());
  assert.deepEqual(JSON.parse((await collect(json)).toString()), JSON.parse(liveJsonBody.toString()));
  assert.deepEqual(json.headers, { "content-type": "application/json", "x-amzn-bedrock-input-token-count": "3" });
  const stream = await collect(await player.relay!(call("invoke-with-response-stream"), callContext()));
  // The same events, minus Bedrock's random padding: frames decode to the recorded chunks.
  const decoded = [...splitFrames(stream)].map((f) => {
    const m = codec.decode(f);
    return [m.headers[":event-type"]?.value, JSON.parse(Buffer.from(JSON.parse(Buffer.from(m.body).toString()).bytes, "base64").toString())];
  });
  assert.deepEqual(decoded, [["chunk", { type: "message_start" }], ["chunk", { type: "message_stop" }]]);
  assert.ok(liveStreamBody.length > stream.length, "the padding is gone");
  assert.equal(upstreamCalls, 2);
  const text = files(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
  assert.ok(!text.includes("rid-123") && !text.includes("rid-456"), "no request ids");
  assert.match(text, /"payload":\{"chunk":\{"type":"message_start"\}\}/, "chunk bytes are stored decoded");
});
