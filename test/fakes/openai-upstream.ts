// A fake OpenAI-compatible Chat Completions server on loopback, for tests. It speaks the real wire
// format (OpenAI API reference; vLLM, Ollama and llama.cpp variants): JSON completions, SSE chunks
// `data: {...}\n\n` ending in `data: [DONE]`, the usage chunk with `choices: []` when
// `stream_options.include_usage` is set, error bodies `{"error":{"message","type","code"}}`.
// Each test scripts the replies and reads back what the server received (fake-upstream.ts).
import { startFakeUpstream, type FakeUpstream, type Responder, type SseStep } from "./fake-upstream.js";

export type { ReceivedRequest, Reply, Responder, SseStep } from "./fake-upstream.js";
export type FakeOpenAIUpstream = FakeUpstream;

export function startOpenAIUpstream(respond?: Responder): Promise<FakeOpenAIUpstream> {
  return startFakeUpstream({
    basePath: "/v1",
    respond: respond ?? ((req) => ({ json: completion({ model: String(req.body.model), content: "Hello from the fake." }) })),
    badJson: { status: 400, json: errorBody("We could not parse the JSON body of your request.", "invalid_request_error", null) },
    textContentType: "text/plain",
    sseContentType: "text/event-stream",
  });
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
