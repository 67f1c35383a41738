// Bytes on the wire: event-stream frames checked with the official decoder (@smithy/eventstream-codec, which
// verifies both CRCs), the DIGEST's test vector, h2c and HTTP/1.1 on one port, unbuffered streaming, model ids.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:http2";
import { connect as tcpConnect, type Socket } from "node:net";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { h1Client, h2Client } from "../helpers/clients.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const MESSAGE_START_VECTOR =
  "000000760000005296d5fade0b3a6576656e742d7479706507000c6d65737361676553746172740d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22726f6c65223a22617373697374616e74227d6fa8c599";

let basalt: InProcessBasalt;
before(async () => (basalt = await startInProcess()));
after(async () => void (await basalt.stop()));

const body = (text: string) => JSON.stringify({ messages: [{ role: "user", content: [{ text }] }] });
/** JSON operations take application/json only (a browser's text/plain "simple request" is refused: docs/hardening.md). */
const json = { "content-type": "application/json" };

/** Splits a byte buffer into frames by their length prefix and decodes each with the official codec. */
function decodeAll(buf: Buffer) {
  const frames = [];
  for (let at = 0; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    frames.push({ raw: buf.subarray(at, at + len), message: codec.decode(buf.subarray(at, at + len)) });
    at += len;
  }
  return frames;
}

test("ConverseStream over HTTP/1.1: 200, event-stream content type, valid frames in Bedrock's order", async () => {
  const res = await fetch(`${basalt.url}/model/basalt.echo/converse-stream`, { method: "POST", headers: json, body: body("hello wide world") });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/vnd.amazon.eventstream");
  const frames = decodeAll(Buffer.from(await res.arrayBuffer()));
  assert.equal(frames[0].raw.toString("hex"), MESSAGE_START_VECTOR, "messageStart matches DIGEST §11.5 byte for byte");
  const kinds = frames.map((f) => f.message.headers[":event-type"].value);
  assert.deepEqual(kinds, ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
  for (const f of frames) {
    assert.deepEqual(Object.keys(f.message.headers), [":event-type", ":content-type", ":message-type"]);
    assert.equal(f.message.headers[":message-type"].value, "event");
    assert.equal(f.message.headers[":content-type"].value, "application/json");
  }
  const metadata = JSON.parse(toUtf8(frames.at(-1)!.message.body));
  assert.deepEqual(metadata.usage, { inputTokens: 3, outputTokens: 3, totalTokens: 6 });
  assert.equal(typeof metadata.metrics.latencyMs, "number");
});

test("a mid-stream failure is an exception frame with :exception-type, decoded by the official codec", async () => {
  const res = await fetch(`${basalt.url}/model/basalt.echo/converse-stream`, {
    method: "POST", headers: json, body: body("/error-after 3 ServiceUnavailableException gone"),
  });
  assert.equal(res.status, 200);
  const frames = decodeAll(Buffer.from(await res.arrayBuffer()));
  const last = frames.at(-1)!.message;
  assert.equal(frames.length, 4);
  assert.equal(last.headers[":message-type"].value, "exception");
  assert.equal(last.headers[":exception-type"].value, "serviceUnavailableException");
  assert.equal(last.headers[":content-type"].value, "application/json");
  assert.equal(Object.keys(last.headers).length, 3);
  assert.deepEqual(JSON.parse(toUtf8(last.body)), { message: "gone" });
});

test("HTTP/2 cleartext with prior knowledge on the same port streams the same frames", async () => {
  const session = connect(basalt.url);
  const req = session.request({ ":method": "POST", ":path": "/model/basalt.echo/converse-stream", "content-type": "application/json" });
  req.end(body("hello wide world"));
  const chunks: Buffer[] = [];
  let status = 0;
  req.on("response", (h) => (status = Number(h[":status"])));
  for await (const c of req) chunks.push(c as Buffer);
  session.close();
  assert.equal(status, 200);
  const frames = decodeAll(Buffer.concat(chunks));
  assert.equal(frames[0].raw.toString("hex"), MESSAGE_START_VECTOR);
  assert.equal(frames.length, 7);
});

for (const [label, make] of [["HTTP/2", h2Client], ["HTTP/1.1", h1Client]] as const) {
  test(`${label}: the first event arrives before the stream ends (no buffering)`, async () => {
    const client = make(basalt.url);
    const started = Date.now();
    const out = await client.send(new ConverseStreamCommand({
      modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "/slow 150 a b c d e f" }] }],
    }));
    let firstDeltaAt = 0;
    let text = "";
    for await (const e of out.stream!) {
      if (e.contentBlockDelta && !firstDeltaAt) firstDeltaAt = Date.now() - started;
      text += e.contentBlockDelta?.delta?.text ?? "";
    }
    const total = Date.now() - started;
    client.destroy();
    assert.equal(text, "a b c d e f");
    assert.ok(total >= 6 * 150, `paced stream took ${total} ms`);
    assert.ok(firstDeltaAt < total - 500, `first delta at ${firstDeltaAt} ms of ${total} ms`);
  });

  test(`${label}: URL-encoded ARNs and inference-profile ids resolve; requestId matches the header`, async () => {
    const client = make(basalt.url);
    for (const modelId of ["arn:aws:bedrock:us-east-1::foundation-model/basalt.echo", "us.basalt.echo",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.basalt.echo"]) {
      const out = await client.send(new ConverseCommand({ modelId, messages: [{ role: "user", content: [{ text: "hi" }] }] }));
      assert.equal(out.output!.message!.content![0].text, "hi", modelId);
      assert.match(out.$metadata.requestId!, /^[0-9a-f-]{36}$/);
    }
    client.destroy();
  });
}

test("signed and unsigned requests, and Bearer API keys, are all accepted", async () => {
  const unsigned = await fetch(`${basalt.url}/model/basalt.echo/converse`, { method: "POST", headers: json, body: body("plain") });
  assert.equal(unsigned.status, 200);
  const bearer = await fetch(`${basalt.url}/model/basalt.echo/converse`, {
    method: "POST", body: body("keyed"), headers: { ...json, authorization: "Bearer ABSKexample" },
  });
  assert.equal(bearer.status, 200);
});

test("HTTP/2: concurrent streams and unary calls multiplexed on one client each get their own answer", async () => {
  const client = h2Client(basalt.url);
  const streams = Array.from({ length: 12 }, async (_, i) => {
    const out = await client.send(new ConverseStreamCommand({
      modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: `/slow 20 stream ${i} a b c` }] }],
    }));
    let text = "";
    for await (const e of out.stream!) text += e.contentBlockDelta?.delta?.text ?? "";
    return text;
  });
  const unary = Array.from({ length: 12 }, (_, i) =>
    client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: `unary ${i}` }] }] }))
      .then((o) => o.output!.message!.content![0].text));
  assert.deepEqual(await Promise.all(streams), Array.from({ length: 12 }, (_, i) => `stream ${i} a b c`));
  assert.deepEqual(await Promise.all(unary), Array.from({ length: 12 }, (_, i) => `unary ${i}`));
  client.destroy();
});

for (const [label, make] of [["HTTP/2", h2Client], ["HTTP/1.1", h1Client]] as const) {
  test(`${label}: a client abandoning one stream does not disturb another on the same client`, async () => {
    const client = make(basalt.url);
    const abort = new AbortController();
    const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];
    const doomed = await client.send(
      new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/slow 100 a b c d e f g h") }), { abortSignal: abort.signal },
    );
    const kept = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/slow 30 k l m n") }));
    const keptText = (async () => {
      let text = "";
      for await (const e of kept.stream!) text += e.contentBlockDelta?.delta?.text ?? "";
      return text;
    })();
    let seen = 0;
    // The SDK's HTTP/1.1 handler raises an abort error here; its HTTP/2 handler just ends the iteration.
    await (async () => {
      for await (const _ of doomed.stream!) if (++seen === 2) abort.abort();
    })().catch((err: Error) => assert.match(`${err.name}: ${err.message}`, /abort/i));
    assert.ok(seen >= 2 && seen < 12, `the abandoned stream stopped (${seen} events)`);
    assert.equal(await keptText, "k l m n");
    const after = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("still serving") }));
    assert.equal(after.output!.message!.content![0].text, "still serving");
    client.destroy();
  });
}

/** Opens a TCP connection, writes the given pieces with a pause between them, and collects what comes back. */
async function writeInPieces(pieces: (string | Buffer)[], waitMs: number): Promise<Buffer> {
  const { port, hostname } = new URL(basalt.url);
  const socket: Socket = tcpConnect(Number(port), hostname);
  const received: Buffer[] = [];
  socket.on("data", (d: Buffer) => received.push(d));
  await new Promise((r) => socket.once("connect", r));
  for (const piece of pieces) {
    socket.write(piece);
    await new Promise((r) => setTimeout(r, waitMs));
  }
  socket.destroy();
  return Buffer.concat(received);
}

test("connection sniffing: an HTTP/1.1 request that starts like the h2 preface ('P…') is still HTTP/1.1", async () => {
  const json = body("split start");
  const request = `POST /model/basalt.echo/converse HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
  const reply = (await writeInPieces([request.slice(0, 1), request.slice(1)], 60)).toString();
  assert.match(reply, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(reply, /"text":"split start"/);
});

test("connection sniffing: an h2 preface split across packets still opens HTTP/2", async () => {
  const preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  const emptySettings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
  const reply = await writeInPieces([preface.slice(0, 5), preface.slice(5, 12), Buffer.concat([Buffer.from(preface.slice(12)), emptySettings])], 40);
  // The server's first frame is its SETTINGS frame (type 0x4 on stream 0).
  assert.ok(reply.length >= 9, "the server answered");
  assert.equal(reply[3], 0x04);
  assert.equal(reply.readUInt32BE(5) & 0x7fffffff, 0);
});
