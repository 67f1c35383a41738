// A fake Anthropic Messages API on loopback, for tests. It speaks the documented wire format:
// `POST /v1/messages` (x-api-key, anthropic-version) answered with a `message` object or, with
// `stream: true`, SSE events `message_start` / `content_block_start` / `content_block_delta`
// (text_delta, input_json_delta, thinking_delta, signature_delta) / `content_block_stop` /
// `message_delta` / `message_stop`, `ping` and `error`; `POST /v1/messages/count_tokens` answered
// with `{"input_tokens": N}`; errors as `{"type":"error","error":{"type","message"}}`.
// Each test scripts the replies and reads back what the server received.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

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
  | { event: string; data: unknown } // `event: NAME` + `data: JSON`
  | { raw: string } // text exactly as given (split events, CRLF…)
  | { bytes: Uint8Array } // bytes exactly as given (may split a UTF-8 sequence)
  | { delay: number }
  | { wait: Promise<unknown> } // wait until the test says so
  | { destroy: true }; // cut the connection mid-stream

export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | { status?: number; sse: SseStep[] }
  | { hang: true } // accept the request, never answer
  | { destroy: true }; // close the socket without answering

export type Responder = (req: ReceivedRequest) => Reply | Promise<Reply>;

export interface FakeAnthropicUpstream {
  /** e.g. http://127.0.0.1:PORT (the Messages API lives under /v1). */
  baseUrl: string;
  requests: ReceivedRequest[];
  /** Replies are taken from this queue first, then from `respond`. */
  enqueue(...replies: Reply[]): void;
  respond: Responder;
  /** Resolves with the next request that arrives (or the oldest one not yet read). */
  nextRequest(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startAnthropicUpstream(): Promise<FakeAnthropicUpstream> {
  const queue: Reply[] = [];
  const requests: ReceivedRequest[] = [];
  const waiters: ((r: ReceivedRequest) => void)[] = [];
  const unread: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();

  const fake: FakeAnthropicUpstream = {
    baseUrl: "",
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respond: (req) =>
      req.path === "/v1/messages/count_tokens" ? { json: { input_tokens: 42 } } : { json: message({ model: String(req.body.model), content: [textBlock("Hello from the fake.")] }) },
    nextRequest() {
      const r = unread.shift();
      if (r) return Promise.resolve(r);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || (req.url !== "/v1/messages" && req.url !== "/v1/messages/count_tokens")) {
      return sendJson(res, 404, errorBody("not_found_error", "Not Found"));
    }
    if (!req.headers["x-api-key"]) {
      return sendJson(res, 401, errorBody("authentication_error", "x-api-key header is required"));
    }
    if (!req.headers["anthropic-version"]) {
      return sendJson(res, 400, errorBody("invalid_request_error", "anthropic-version: header is required"));
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, errorBody("invalid_request_error", "There was an issue with your request body: invalid JSON"));
    }
    const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
    const received: ReceivedRequest = { method: req.method, path: req.url, headers: req.headers, body, remotePort: req.socket.remotePort, closed };
    requests.push(received);
    const waiter = waiters.shift();
    if (waiter) waiter(received);
    else unread.push(received);
    const reply = queue.shift() ?? (await fake.respond(received));
    await send(res, reply);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function sendJson(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(json);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy", ...headers });
  res.end(text);
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if ("hang" in reply) return;
  if ("destroy" in reply) {
    res.socket?.destroy();
    return;
  }
  if ("json" in reply) return sendJson(res, reply.status ?? 200, reply.json, reply.headers);
  if ("text" in reply) {
    res.writeHead(reply.status ?? 200, { "content-type": "text/html", ...reply.headers });
    res.end(reply.text);
    return;
  }
  res.writeHead(reply.status ?? 200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  for (const step of reply.sse) {
    if ("delay" in step) await new Promise((r) => setTimeout(r, step.delay));
    else if ("wait" in step) await step.wait;
    else if ("destroy" in step) {
      res.socket?.destroy();
      return;
    } else if ("raw" in step) res.write(step.raw);
    else if ("bytes" in step) res.write(step.bytes);
    else res.write(`event: ${step.event}\ndata: ${JSON.stringify(step.data)}\n\n`);
  }
  res.end();
}

// ---- Wire shapes, as Anthropic's API reference documents them ----

export const MESSAGE_ID = "msg_01XFDUDYJgAACzvnptvVoYEL";

export function errorBody(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

export interface UsageSpec {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
}

export function usageJson(u: UsageSpec) {
  const write = (u.cacheWrite ?? 0) + (u.cacheWrite1h ?? 0);
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: u.cacheRead ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite ?? 0, ephemeral_1h_input_tokens: u.cacheWrite1h ?? 0 },
    output_tokens: u.output,
    service_tier: "standard",
  };
}

export const textBlock = (text: string) => ({ type: "text", text });
export const toolUseBlock = (id: string, name: string, input: unknown) => ({ type: "tool_use", id, name, input });
export const thinkingBlock = (thinking: string, signature: string) => ({ type: "thinking", thinking, signature });
export const redactedThinkingBlock = (data: string) => ({ type: "redacted_thinking", data });

/** A non-streamed `message` object. */
export function message(opts: { model?: string; content: unknown[]; stopReason?: string; stopSequence?: string | null; usage?: UsageSpec }) {
  return {
    id: MESSAGE_ID,
    type: "message",
    role: "assistant",
    model: opts.model ?? "claude-3-5-haiku-20241022",
    content: opts.content,
    stop_reason: opts.stopReason ?? (opts.content.some((b) => (b as { type: string }).type === "tool_use") ? "tool_use" : "end_turn"),
    stop_sequence: opts.stopSequence ?? null,
    usage: usageJson(opts.usage ?? { input: 25, output: 12 }),
  };
}

const ev = (event: string, data: unknown): SseStep => ({ event, data: { type: event, ...(data as object) } });

export const messageStart = (usage: UsageSpec = { input: 25, output: 1 }, model = "claude-3-5-haiku-20241022"): SseStep =>
  ev("message_start", {
    message: { id: MESSAGE_ID, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: usageJson(usage) },
  });
export const blockStart = (index: number, block: unknown): SseStep => ev("content_block_start", { index, content_block: block });
export const textDelta = (index: number, text: string): SseStep => ev("content_block_delta", { index, delta: { type: "text_delta", text } });
export const jsonDelta = (index: number, partial: string): SseStep => ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: partial } });
export const thinkingDelta = (index: number, thinking: string): SseStep => ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking } });
export const signatureDelta = (index: number, signature: string): SseStep => ev("content_block_delta", { index, delta: { type: "signature_delta", signature } });
export const blockStop = (index: number): SseStep => ev("content_block_stop", { index });
export const ping = (): SseStep => ev("ping", {});
export const messageDelta = (stopReason: string, outputTokens: number, stopSequence: string | null = null): SseStep =>
  ev("message_delta", { delta: { stop_reason: stopReason, stop_sequence: stopSequence }, usage: { output_tokens: outputTokens } });
export const messageStop = (): SseStep => ev("message_stop", {});
export const errorEvent = (type: string, message: string): SseStep => ({ event: "error", data: errorBody(type, message) });

/**
 * A whole stream the way the Messages API sends it: message_start, a ping, each block's start,
 * deltas and stop, then message_delta (stop reason, output tokens) and message_stop.
 */
export function messageStream(opts: {
  thinking?: { pieces: string[]; signature: string };
  redacted?: string;
  text?: string[];
  tools?: { id: string; name: string; pieces: string[] }[];
  stopReason?: string;
  stopSequence?: string | null;
  usage?: UsageSpec;
}): SseStep[] {
  const usage = opts.usage ?? { input: 25, output: 12 };
  const steps: SseStep[] = [messageStart({ ...usage, output: 1 }), ping()];
  let index = 0;
  if (opts.thinking) {
    steps.push(blockStart(index, { type: "thinking", thinking: "", signature: "" }));
    for (const p of opts.thinking.pieces) steps.push(thinkingDelta(index, p));
    steps.push(signatureDelta(index, opts.thinking.signature), blockStop(index++));
  }
  if (opts.redacted !== undefined) steps.push(blockStart(index, redactedThinkingBlock(opts.redacted)), blockStop(index++));
  if (opts.text) {
    steps.push(blockStart(index, { type: "text", text: "" }));
    for (const t of opts.text) steps.push(textDelta(index, t));
    steps.push(blockStop(index++));
  }
  for (const tool of opts.tools ?? []) {
    steps.push(blockStart(index, { type: "tool_use", id: tool.id, name: tool.name, input: {} }));
    for (const p of tool.pieces) steps.push(jsonDelta(index, p));
    steps.push(blockStop(index++));
  }
  const stop = opts.stopReason ?? (opts.tools?.length ? "tool_use" : "end_turn");
  steps.push(messageDelta(stop, usage.output, opts.stopSequence ?? null), messageStop());
  return steps;
}
