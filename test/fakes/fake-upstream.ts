// A scriptable HTTP upstream on loopback, shared by the fake OpenAI-compatible and Anthropic servers: each
// test queues the replies (JSON, text, SSE steps, a hang, a cut connection) and reads back what the server
// received. The wire shapes themselves live in openai-upstream.ts and anthropic-upstream.ts; SSE events are
// written by Basalt's own formats/sse writer, the inverse of the parser the providers read them with.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { formatSseEvent } from "../../src/formats/sse/format.js";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** The client's port: equal ports on successive requests mean a reused keep-alive connection. */
  remotePort: number | undefined;
  /** Resolves when the response is over: finished, or cut by either side. */
  closed: Promise<void>;
}

/** One step of a scripted SSE reply. */
export type SseStep =
  | { event?: string; data: unknown } // an event: objects are JSON-encoded, strings (e.g. "[DONE]") sent as they are
  | { raw: string } // text exactly as given (split events, comments, CRLF…)
  | { bytes: Uint8Array } // bytes exactly as given (may split a UTF-8 sequence)
  | { delay: number } // wait this many ms
  | { wait: Promise<unknown> } // wait until the test says so
  | { destroy: true }; // cut the connection mid-stream

export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | { status?: number; sse: SseStep[] }
  | { hang: true } // accept the request, never answer
  | { destroy: true }; // close the socket without answering

export type Responder = (req: ReceivedRequest) => Reply | Promise<Reply>;

export interface FakeUpstream {
  /** Where clients point: the origin plus the API's base path (e.g. http://127.0.0.1:PORT/v1). */
  baseUrl: string;
  port: number;
  requests: ReceivedRequest[];
  /** Replies are taken from this queue first, then from `respond`. */
  enqueue(...replies: Reply[]): void;
  respond: Responder;
  /** Resolves with the oldest request not read yet, waiting for the next one if all were read. */
  nextRequest(): Promise<ReceivedRequest>;
  /** Counts every request received so far as read, so nextRequest waits for the next one. */
  skipReceived(): void;
  close(): Promise<void>;
}

/** What makes one API's fake differ from another's. */
export interface FakeApi {
  /** Appended to the origin in `baseUrl`. */
  basePath: string;
  /** The answer when nothing was scripted. */
  respond: Responder;
  /** Refuses a request before it counts as received (wrong path, missing header); undefined lets it in. */
  refuse?(req: IncomingMessage): Reply | undefined;
  /** The answer to a body that is not JSON. */
  badJson: Reply;
  /** Headers every JSON answer carries besides content-type and content-length. */
  jsonHeaders?: Record<string, string>;
  textContentType: string;
  sseContentType: string;
}

export async function startFakeUpstream(api: FakeApi): Promise<FakeUpstream> {
  const queue: Reply[] = [];
  const requests: ReceivedRequest[] = [];
  const waiters: ((r: ReceivedRequest) => void)[] = [];
  const unread: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();

  const fake: FakeUpstream = {
    baseUrl: "",
    port: 0,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respond: api.respond,
    nextRequest() {
      const r = unread.shift();
      if (r) return Promise.resolve(r);
      return new Promise((resolve) => waiters.push(resolve));
    },
    skipReceived: () => void unread.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const refusal = api.refuse?.(req);
    if (refusal) return send(res, refusal, api);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    } catch {
      return send(res, api.badJson, api);
    }
    const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
    const received: ReceivedRequest = {
      method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, remotePort: req.socket.remotePort, closed,
    };
    requests.push(received);
    const waiter = waiters.shift();
    if (waiter) waiter(received);
    else unread.push(received);
    const reply = queue.shift() ?? (await fake.respond(received));
    await send(res, reply, api);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.baseUrl = `http://127.0.0.1:${fake.port}${api.basePath}`;
  return fake;
}

async function send(res: ServerResponse, reply: Reply, api: FakeApi): Promise<void> {
  if ("hang" in reply) return;
  if ("destroy" in reply) {
    res.socket?.destroy();
    return;
  }
  if ("json" in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status ?? 200, {
      "content-type": "application/json", "content-length": Buffer.byteLength(text), ...api.jsonHeaders, ...reply.headers,
    });
    res.end(text);
    return;
  }
  if ("text" in reply) {
    res.writeHead(reply.status ?? 200, { "content-type": api.textContentType, ...reply.headers });
    res.end(reply.text);
    return;
  }
  res.writeHead(reply.status ?? 200, { "content-type": api.sseContentType, "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  for (const step of reply.sse) {
    if ("delay" in step) await new Promise((r) => setTimeout(r, step.delay));
    else if ("wait" in step) await step.wait;
    else if ("destroy" in step) {
      res.socket?.destroy();
      return;
    } else if ("raw" in step) res.write(step.raw);
    else if ("bytes" in step) res.write(step.bytes);
    else res.write(formatSseEvent(step));
  }
  res.end();
}
