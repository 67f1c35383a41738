// A fake Anthropic Messages API on loopback, for tests. It speaks the documented wire format:
// `POST /v1/messages` (x-api-key, anthropic-version) answered with a `message` object or, with
// `stream: true`, SSE events `message_start` / `content_block_start` / `content_block_delta`
// (text_delta, input_json_delta, thinking_delta, signature_delta) / `content_block_stop` /
// `message_delta` / `message_stop`, `ping` and `error`; `POST /v1/messages/count_tokens` answered
// with `{"input_tokens": N}`; errors as `{"type":"error","error":{"type","message"}}`.
// Each test scripts the replies and reads back what the server received (fake-upstream.ts).
import { startFakeUpstream, type FakeUpstream, type Reply, type SseStep } from "./fake-upstream.js";

export type { ReceivedRequest, Reply, Responder, SseStep } from "./fake-upstream.js";
export type FakeAnthropicUpstream = FakeUpstream;

export function startAnthropicUpstream(): Promise<FakeAnthropicUpstream> {
  return startFakeUpstream({
    // The Messages API lives under /v1; the provider's base URL is the bare origin.
    basePath: "",
    respond: (req) =>
      req.path === "/v1/messages/count_tokens" ? { json: { input_tokens: 42 } } : { json: message({ model: String(req.body.model), content: [textBlock("Hello from the fake.")] }) },
    refuse(req): Reply | undefined {
      if (req.method !== "POST" || (req.url !== "/v1/messages" && req.url !== "/v1/messages/count_tokens")) {
        return { status: 404, json: errorBody("not_found_error", "Not Found") };
      }
      if (!req.headers["x-api-key"]) return { status: 401, json: errorBody("authentication_error", "x-api-key header is required") };
      if (!req.headers["anthropic-version"]) return { status: 400, json: errorBody("invalid_request_error", "anthropic-version: header is required") };
      return undefined;
    },
    badJson: { status: 400, json: errorBody("invalid_request_error", "There was an issue with your request body: invalid JSON") },
    jsonHeaders: { "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy" },
    textContentType: "text/html",
    sseContentType: "text/event-stream; charset=utf-8",
  });
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
