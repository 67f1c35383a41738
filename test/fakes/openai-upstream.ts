// A fake OpenAI-compatible Chat Completions server on loopback, for tests. It speaks the real wire
// format (OpenAI API reference; vLLM, Ollama and llama.cpp variants): JSON completions, SSE chunks
// `data: {...}\n\n` ending in `data: [DONE]`, the usage chunk with `choices: []` when
// `stream_options.include_usage` is set, error bodies `{"error":{"message","type","code"}}`.
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
  | { data: unknown } // a `data:` event: objects are JSON-encoded, strings (e.g. "[DONE]") sent as they are
  | { raw: string } // bytes exactly as given (split events, comments, CRLF…)
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

export interface FakeOpenAIUpstream {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  port: number;
  requests: ReceivedRequest[];
  /** Replies are taken from this queue first, then from `respond`. */
  enqueue(...replies: Reply[]): void;
  respond: Responder;
  /** Resolves with the next request that arrives (or the latest one already received, if unread). */
  nextRequest(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startOpenAIUpstream(respond?: Responder): Promise<FakeOpenAIUpstream> {
  const queue: Reply[] = [];
  const requests: ReceivedRequest[] = [];
  const waiters: ((r: ReceivedRequest) => void)[] = [];
  let unread = 0;
  const sockets = new Set<Socket>();

  const fake: FakeOpenAIUpstream = {
    baseUrl: "",
    port: 0,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respond: respond ?? ((req) => ({ json: completion({ model: String(req.body.model), content: "Hello from the fake." }) })),
    nextRequest() {
      if (unread > 0) {
        unread--;
        return Promise.resolve(requests[requests.length - 1 - unread]);
      }
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
    const text = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify(errorBody("We could not parse the JSON body of your request.", "invalid_request_error", null)));
      return;
    }
    const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
    const received: ReceivedRequest = {
      method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, remotePort: req.socket.remotePort, closed,
    };
    requests.push(received);
    const waiter = waiters.shift();
    if (waiter) waiter(received);
    else unread++;
    const reply = queue.shift() ?? (await fake.respond(received));
    await send(res, reply);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.baseUrl = `http://127.0.0.1:${fake.port}/v1`;
  return fake;
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if ("hang" in reply) return;
  if ("destroy" in reply) {
    res.socket?.destroy();
    return;
  }
  if ("json" in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...reply.headers });
    res.end(text);
    return;
  }
  if ("text" in reply) {
    res.writeHead(reply.status ?? 200, { "content-type": "text/plain", ...reply.headers });
    res.end(reply.text);
    return;
  }
  res.writeHead(reply.status ?? 200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  for (const step of reply.sse) {
    if ("delay" in step) await new Promise((r) => setTimeout(r, step.delay));
    else if ("wait" in step) await step.wait;
    else if ("destroy" in step) {
      res.socket?.destroy();
      return;
    } else if ("raw" in step) res.write(step.raw);
    else res.write(`data: ${typeof step.data === "string" ? step.data : JSON.stringify(step.data)}\n\n`);
  }
  res.end();
}

// ---- Wire shapes, as the OpenAI API reference documents them ----

const CREATED = 1_726_000_000;

export function errorBody(message: string, type: string, code: string | number | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export interface ToolCallSpec {
  id: string;
  name: string;
  arguments: string;
}

export interface UsageSpec {
  prompt: number;
  completion: number;
  cached?: number;
}

export function usageJson(u: UsageSpec) {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** A non-streamed `chat.completion` object. */
export function completion(opts: {
  model?: string;
  content?: string | null;
  toolCalls?: ToolCallSpec[];
  reasoningContent?: string;
  reasoning?: string;
  finishReason?: string;
  stopReason?: string | number | null;
  usage?: UsageSpec | null;
}) {
  const message: Record<string, unknown> = { role: "assistant", content: opts.content ?? null, refusal: null };
  if (opts.toolCalls) {
    message.tool_calls = opts.toolCalls.map((t) => ({ id: t.id, type: "function", function: { name: t.name, arguments: t.arguments } }));
  }
  if (opts.reasoningContent !== undefined) message.reasoning_content = opts.reasoningContent;
  if (opts.reasoning !== undefined) message.reasoning = opts.reasoning;
  const choice: Record<string, unknown> = {
    index: 0,
    message,
    logprobs: null,
    finish_reason: opts.finishReason ?? (opts.toolCalls ? "tool_calls" : "stop"),
  };
  if (opts.stopReason !== undefined) choice.stop_reason = opts.stopReason;
  const body: Record<string, unknown> = {
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion",
    created: CREATED,
    model: opts.model ?? "llama3.1:8b",
    system_fingerprint: "fp_3a5f7c1e2b",
    choices: [choice],
  };
  if (opts.usage !== null) body.usage = usageJson(opts.usage ?? { prompt: 19, completion: 10 });
  return body;
}

/** One `chat.completion.chunk`. Pass `usage: null` for the `"usage": null` OpenAI sends on every chunk when usage was asked for. */
export function chunk(delta: Record<string, unknown>, opts: { finishReason?: string | null; model?: string; usage?: null; stopReason?: string | number | null } = {}) {
  const choice: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: opts.finishReason ?? null };
  if (opts.stopReason !== undefined) choice.stop_reason = opts.stopReason;
  const body: Record<string, unknown> = {
    id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
    object: "chat.completion.chunk",
    created: CREATED,
    model: opts.model ?? "llama3.1:8b",
    system_fingerprint: "fp_3a5f7c1e2b",
    choices: [choice],
  };
  if ("usage" in opts) body.usage = null;
  return body;
}

/** The final usage chunk of a stream asked for with `stream_options: {include_usage: true}`. */
export function usageChunk(u: UsageSpec, model = "llama3.1:8b") {
  return {
    id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    system_fingerprint: "fp_3a5f7c1e2b",
    choices: [],
    usage: usageJson(u),
  };
}

/**
 * A whole stream the way OpenAI sends it: a role chunk, the content pieces, tool-call deltas (the first
 * of each call carries id, type and name with empty arguments; the rest carry argument fragments), a
 * finish chunk with an empty delta, the usage chunk, then [DONE].
 */
export function chatStream(opts: {
  text?: string[];
  reasoningContent?: string[];
  reasoning?: string[];
  toolCalls?: { id: string; name: string; argumentPieces: string[] }[];
  finishReason?: string;
  stopReason?: string | number | null;
  usage?: UsageSpec | null;
}): SseStep[] {
  const steps: SseStep[] = [{ data: chunk({ role: "assistant", content: "" }, { usage: null }) }];
  for (const r of opts.reasoningContent ?? []) steps.push({ data: chunk({ reasoning_content: r }, { usage: null }) });
  for (const r of opts.reasoning ?? []) steps.push({ data: chunk({ reasoning: r }, { usage: null }) });
  for (const t of opts.text ?? []) steps.push({ data: chunk({ content: t }, { usage: null }) });
  (opts.toolCalls ?? []).forEach((call, index) => {
    steps.push({ data: chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }, { usage: null }) });
    for (const piece of call.argumentPieces) {
      steps.push({ data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, { usage: null }) });
    }
  });
  const finish = opts.finishReason ?? (opts.toolCalls?.length ? "tool_calls" : "stop");
  steps.push({ data: chunk({}, { finishReason: finish, usage: null, ...(opts.stopReason !== undefined ? { stopReason: opts.stopReason } : {}) }) });
  if (opts.usage !== null) steps.push({ data: usageChunk(opts.usage ?? { prompt: 19, completion: 10 }) });
  steps.push({ data: "[DONE]" });
  return steps;
}
