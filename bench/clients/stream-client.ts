// A ConverseStream client that decodes every event-stream frame (prelude, CRCs, headers, JSON payload)
// with @smithy/eventstream-codec, as the SDKs do. Prints one JSON line:
//   --mode throughput: events/s delivered at --concurrency streams for --seconds
//   --mode first-event: time from sending the request to the first decoded event, --count requests in turn
// Over --proto h2 (one session, like the JS SDK) or h1 (keep-alive connections).
import { connect, constants } from "node:http2";
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { converseBody, streamPrompt } from "../lib/prompts.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    path: { type: "string", default: "/model/basalt.echo/converse-stream" },
    proto: { type: "string", default: "h2" },
    mode: { type: "string", default: "throughput" },
    concurrency: { type: "string", default: "4" },
    seconds: { type: "string", default: "3" },
    count: { type: "string", default: "20" },
    words: { type: "string", default: "2000" },
  },
});
const base = new URL(values.url!);
const body = Buffer.from(converseBody(streamPrompt(Number(values.words)), Number(values.words) * 2));
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const decoder = new TextDecoder();

interface StreamStats { events: number; firstEventMs: number }

/** Splits the byte stream into frames and decodes each; returns the events seen and the first one's time. */
function frameReader(started: bigint) {
  let pending: Buffer = Buffer.alloc(0);
  const stats: StreamStats = { events: 0, firstEventMs: NaN };
  let last = "";
  return {
    stats,
    lastEvent: () => last,
    push(chunk: Buffer) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const total = pending.readUInt32BE(0);
        if (pending.length < total) break;
        const message = codec.decode(pending.subarray(0, total));
        pending = pending.subarray(total);
        if (message.headers[":message-type"]?.value !== "event") {
          throw new Error(`unexpected frame: ${JSON.stringify(message.headers)} ${decoder.decode(message.body)}`);
        }
        JSON.parse(decoder.decode(message.body));
        if (stats.events++ === 0) stats.firstEventMs = Number(process.hrtime.bigint() - started) / 1e6;
        last = String(message.headers[":event-type"]?.value);
      }
    },
  };
}

type OneStream = () => Promise<StreamStats>;

function h2Streams(): { one: OneStream; close: () => void } {
  const session = connect(base.origin);
  session.on("error", (err) => { throw err; });
  const one: OneStream = () =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: values.path!,
        "content-type": "application/json",
        accept: "application/vnd.amazon.eventstream",
      });
      const reader = frameReader(started);
      stream.on("response", (headers) => {
        if (headers[":status"] !== 200) reject(new Error(`status ${headers[":status"]}`));
      });
      stream.on("data", (c: Buffer) => {
        try { reader.push(c); } catch (err) { reject(err); stream.close(); }
      });
      stream.on("end", () => (reader.lastEvent() === "metadata" ? resolve(reader.stats) : reject(new Error(`stream ended after ${reader.lastEvent()}`))));
      stream.on("error", reject);
      stream.end(body);
    });
  return { one, close: () => session.close() };
}

function h1Streams(): { one: OneStream; close: () => void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const one: OneStream = () =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(
        { agent, host: base.hostname, port: base.port, method: "POST", path: values.path, headers: { "content-type": "application/json", "content-length": body.length } },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          const reader = frameReader(started);
          res.on("data", (c: Buffer) => {
            try { reader.push(c); } catch (err) { reject(err); res.destroy(); }
          });
          res.on("end", () => (reader.lastEvent() === "metadata" ? resolve(reader.stats) : reject(new Error(`stream ended after ${reader.lastEvent()}`))));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return { one, close: () => agent.destroy() };
}

async function main(): Promise<void> {
  const client = values.proto === "h1" ? h1Streams() : h2Streams();
  // Warm-up: connections, JIT on both sides.
  for (let i = 0; i < 3; i++) await client.one();
  if (values.mode === "first-event") {
    const times: number[] = [];
    for (let i = 0; i < Number(values.count); i++) times.push((await client.one()).firstEventMs);
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
    process.stdout.write(`${JSON.stringify({ p50: at(50), p99: at(99), count: times.length })}\n`);
  } else {
    const deadline = Date.now() + Number(values.seconds) * 1000;
    let events = 0;
    let streams = 0;
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (Date.now() < deadline) {
        // (not `events += await …`: that reads `events` before the await and loses other workers' counts)
        const stats = await client.one();
        events += stats.events;
        streams++;
      }
    };
    await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`${JSON.stringify({ eventsPerSec: events / seconds, streams, events, seconds })}\n`);
  }
  client.close();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
