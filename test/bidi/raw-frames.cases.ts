// The input framing seen from a raw HTTP/2 client (no SDK): unsigned bare chunk events (accepted with auth
// off), messages split into tiny DATA frames and packed several to a frame, and what a server must refuse —
// a corrupted CRC, a stream that ends inside a message, an event that is not a chunk. Output is decoded with
// @smithy/eventstream-codec, the SDKs' own codec.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:http2";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { promptEnd, promptStart, sessionEnd, sessionStart, textContent } from "./sonic-client.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function chunkEvent(event: unknown, type = "chunk"): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString("base64") })),
  });
}

interface Outcome { status: number; events: Record<string, Record<string, unknown>>[]; exception?: { type: string; message: string } }

/** Sends `pieces` as separate DATA frames (then ends the request), and decodes the whole answer. */
async function exchange(url: string, pieces: Uint8Array[]): Promise<Outcome> {
  const session = connect(url);
  try {
    const stream = session.request({ ":method": "POST", ":path": "/model/basalt.echo/invoke-with-bidirectional-stream", "content-type": "application/vnd.amazon.eventstream" });
    const head = new Promise<number>((resolve) => stream.once("response", (h) => resolve(Number(h[":status"]))));
    const body = (async () => {
      const parts: Buffer[] = [];
      for await (const p of stream) parts.push(p as Buffer);
      return Buffer.concat(parts);
    })();
    for (const piece of pieces) {
      await new Promise<void>((resolve, reject) => stream.write(piece, (err) => (err ? reject(err) : resolve())));
    }
    stream.end();
    const status = await head;
    const bytes = await body;
    const out: Outcome = { status, events: [] };
    for (let offset = 0; offset < bytes.length;) {
      const length = bytes.readUInt32BE(offset);
      const message = codec.decode(bytes.subarray(offset, offset + length));
      offset += length;
      const h = message.headers as Record<string, { value: unknown }>;
      if (h[":message-type"].value === "exception") {
        out.exception = { type: String(h[":exception-type"].value), message: String((JSON.parse(toUtf8(message.body)) as { message: string }).message) };
      } else {
        const { bytes: b64 } = JSON.parse(toUtf8(message.body)) as { bytes: string };
        out.events.push((JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as { event: Record<string, Record<string, unknown>> }).event);
      }
    }
    return out;
  } finally {
    session.close();
  }
}

const PROMPT = "raw-prompt";
const conversation = (text: string) => [sessionStart(), promptStart(PROMPT), ...textContent(PROMPT, "USER", text), promptEnd(PROMPT), sessionEnd()];

describe("bidirectional input framing from a raw HTTP/2 client", () => {
  let basalt: InProcessBasalt;
  before(async () => {
    basalt = await startInProcess();
  });
  after(() => basalt.stop());

  test("unsigned chunk events split into 7-byte DATA frames are reassembled and answered", async () => {
    const all = Buffer.concat(conversation("split into pieces").map((e) => chunkEvent(e)));
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += 7) pieces.push(all.subarray(i, i + 7));
    const out = await exchange(basalt.url, pieces);
    assert.equal(out.status, 200);
    assert.equal(out.exception, undefined);
    assert.equal(out.events.filter((e) => e.textOutput).map((e) => e.textOutput.content).join(""), "split into pieces");
  });

  test("several events packed into one DATA frame are each read", async () => {
    const out = await exchange(basalt.url, [Buffer.concat(conversation("packed together").map((e) => chunkEvent(e)))]);
    assert.equal(out.events.filter((e) => e.textOutput).map((e) => e.textOutput.content).join(""), "packed together");
  });

  test("a corrupted CRC ends the session with validationException", async () => {
    const bad = Buffer.from(chunkEvent(sessionStart()));
    bad[bad.length - 1] ^= 0xff;
    const out = await exchange(basalt.url, [bad]);
    assert.equal(out.status, 200);
    assert.equal(out.exception?.type, "validationException");
    assert.match(out.exception!.message, /malformed event-stream message/);
  });

  test("a request that ends inside a message ends the session with validationException", async () => {
    const whole = chunkEvent(sessionStart());
    const out = await exchange(basalt.url, [whole.subarray(0, whole.length - 5)]);
    assert.equal(out.exception?.type, "validationException");
  });

  test("an input event other than chunk is refused by name", async () => {
    const out = await exchange(basalt.url, [chunkEvent(sessionStart(), "audioChunk")]);
    assert.equal(out.exception?.type, "validationException");
    assert.match(out.exception!.message, /audioChunk is not a member of InvokeModelWithBidirectionalStreamInput/);
  });
});
