// Sits between a downstream Basalt (bedrock provider) and the upstream Basalt: records every request as it
// arrived, checks its SigV4 signature with the verifier, forwards it, and records the exact bytes it sent
// back. Event streams are re-framed here independently of Basalt's code, padded with a `p` member the way
// real Bedrock pads events, and can be delayed, cut or stalled to exercise the relay.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { verifySigV4, type SigV4Result } from "../../src/auth/verify-sigv4.js";
import type { CapturedRequest } from "./capture-server.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export interface Exchange {
  request: CapturedRequest;
  verification: SigV4Result;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Exactly the body bytes written back to the downstream. */
  sent: Buffer;
}

/** What to do to the next event-stream answers. */
export interface StreamBehaviour {
  /** After the first frame, wait for this before sending the rest (proves the relay does not buffer). */
  gate?: Promise<void>;
  /** Send this many whole frames, then half of the next one, then reset the connection. */
  cutAfterFrames?: number;
  /** Send this many whole frames, then go silent (the downstream's timeout must fire). */
  stallAfterFrames?: number;
}

export interface RecordingProxy {
  url: string;
  exchanges: Exchange[];
  behaviour: StreamBehaviour;
  close(): Promise<void>;
}

function pad(frame: Uint8Array, n: number): Uint8Array {
  const message = codec.decode(frame);
  if (message.headers[":message-type"]?.value !== "event") return frame;
  const payload = JSON.parse(toUtf8(message.body)) as Record<string, unknown>;
  payload.p = PADDING.slice(0, 5 + ((n * 7) % 50));
  return codec.encode({ headers: message.headers, body: fromUtf8(JSON.stringify(payload)) });
}

/** Whole frames out of arbitrary chunks, by the prelude's total length. */
function* takeFrames(state: { pending: Buffer }): Generator<Buffer> {
  while (state.pending.length >= 4 && state.pending.length >= state.pending.readUInt32BE(0)) {
    const total = state.pending.readUInt32BE(0);
    yield state.pending.subarray(0, total);
    state.pending = state.pending.subarray(total);
  }
}

export async function startRecordingProxy(upstreamUrl: string, keys: Record<string, string>): Promise<RecordingProxy> {
  const exchanges: Exchange[] = [];
  const proxy: RecordingProxy = { url: "", exchanges, behaviour: {}, close: async () => undefined };
  const upstream = new URL(upstreamUrl);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: CapturedRequest = { method: req.method ?? "", path: req.url ?? "", headers: { ...req.headers }, body: Buffer.concat(chunks) };
      const verification = verifySigV4(request, { secretFor: (id) => keys[id], service: "bedrock", region: "us-east-1" });
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: request.method, path: request.path, headers: req.headers },
        (up) => void relayBack(up, res, { request, verification }, proxy.behaviour).then((x) => exchanges.push(x)),
      );
      forward.end(request.body);
    });
  });

  async function relayBack(up: IncomingMessage, res: ServerResponse, base: Pick<Exchange, "request" | "verification">, behaviour: StreamBehaviour): Promise<Exchange> {
    const sent: Buffer[] = [];
    const exchange = (): Exchange => ({ ...base, status: up.statusCode ?? 0, headers: up.headers, sent: Buffer.concat(sent) });
    const write = (b: Uint8Array) => {
      sent.push(Buffer.from(b));
      res.write(b);
    };
    const isStream = String(up.headers["content-type"] ?? "").startsWith("application/vnd.amazon.eventstream");
    const { "content-length": _length, "transfer-encoding": _te, connection: _c, ...headers } = up.headers;
    res.writeHead(up.statusCode ?? 502, headers);
    res.flushHeaders();
    if (!isStream) {
      for await (const c of up) write(c as Buffer);
      res.end();
      return exchange();
    }
    const state = { pending: Buffer.alloc(0) };
    let n = 0;
    for await (const c of up) {
      state.pending = Buffer.concat([state.pending, c as Buffer]);
      for (const frame of takeFrames(state)) {
        const padded = pad(frame, n);
        if (behaviour.cutAfterFrames !== undefined && n === behaviour.cutAfterFrames) {
          write(padded.subarray(0, padded.length >> 1));
          await new Promise((r) => setTimeout(r, 50));
          res.socket?.destroy();
          return exchange();
        }
        if (behaviour.stallAfterFrames !== undefined && n === behaviour.stallAfterFrames) {
          // Hold the connection open without sending; the downstream gives up and closes it.
          await new Promise((r) => res.once("close", r));
          return exchange();
        }
        // Split every frame across two writes, as TCP may.
        write(padded.subarray(0, 5));
        await new Promise((r) => setImmediate(r));
        write(padded.subarray(5));
        n++;
        if (n === 1 && behaviour.gate) await behaviour.gate;
      }
    }
    res.end();
    return exchange();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
