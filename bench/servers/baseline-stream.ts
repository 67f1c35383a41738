// The limit for ConverseStream: a bare node:http (or node:http2 with --h2) server that reads the request
// and writes event-stream frames encoded (and batched) once at start-up — the same frames as Basalt's
// echo reply to the bench prompt (--words N), with no per-request encoding at all.
import { createServer as createH1 } from "node:http";
import { createServer as createH2 } from "node:http2";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { streamPrompt } from "../lib/prompts.js";

const wordsArg = process.argv.indexOf("--words");
const words = wordsArg === -1 ? 2000 : Number(process.argv[wordsArg + 1]);
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const frame = (type: string, payload: unknown) =>
  codec.encode({
    headers: {
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });

const pieces = streamPrompt(words).split(/(?=\s)/);
const frames: Uint8Array[] = [
  frame("messageStart", { role: "assistant" }),
  ...pieces.map((p) => frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: p } })),
  frame("contentBlockStop", { contentBlockIndex: 0 }),
  frame("messageStop", { stopReason: "end_turn" }),
  frame("metadata", { usage: { inputTokens: words, outputTokens: words, totalTokens: 2 * words }, metrics: { latencyMs: 0 } }),
];
// The first frame alone (time to first event), then the rest in writes of up to 64 KiB, as Basalt batches
// events that are ready together: the fewest writes any server could make.
const writes: Buffer[] = [Buffer.from(frames[0])];
let batch: Uint8Array[] = [];
let size = 0;
for (const f of frames.slice(1)) {
  batch.push(f);
  size += f.byteLength;
  if (size >= 64 * 1024) {
    writes.push(Buffer.concat(batch));
    batch = [];
    size = 0;
  }
}
if (batch.length) writes.push(Buffer.concat(batch));

// What both node:http and node:http2 compatibility responses offer (their union type is not callable).
interface FrameSink {
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders(): void;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  once(event: "drain", listener: () => void): unknown;
}

function handle(req: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse): void {
  const res = response as unknown as FrameSink;
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
    res.flushHeaders();
    let i = 0;
    // Honour back-pressure like a real server would.
    const pump = () => {
      while (i < writes.length) {
        if (!res.write(writes[i++])) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
}

const h2 = process.argv.includes("--h2");
const server = h2 ? createH2({ settings: { maxConcurrentStreams: 1000, initialWindowSize: 1 << 20 } }, handle) : createH1({ keepAliveTimeout: 65_000 }, handle);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
