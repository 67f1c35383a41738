// Chat Completions SSE chunks → ConverseStream events (what the openai provider reads from its upstream),
// one upstream chunk at a time: each delta is passed on as it arrives, nothing waits for the whole
// response. Chat Completions interleaves reasoning, text and tool-call deltas in one `delta` object;
// Bedrock wants them as numbered content blocks, one open at a time, so a change of kind closes the open
// block and opens the next.
import { BedrockError } from "../../core/errors.js";
import type { StreamEvent } from "../../core/model.js";
import type { JsonValue, StopReason, TokenUsage } from "../../core/shapes.generated.js";
import { pickResponseFields, type ParsedPointers } from "../converse/pick-response-fields.js";
import { UpstreamStreamError } from "../shared/upstream-stream-error.js";
import type { SseEvent } from "../sse/parse.js";
import { generatedToolUseId, type EstimateUsage } from "./response-to-converse.js";
import { chatFinishReasonToConverse } from "./map-finish-reason.js";
import { chatUsageToConverse } from "./map-usage.js";
import type { OpenAIChunk, OpenAIChunkChoice, OpenAIErrorObject, OpenAIToolCallDelta, OpenAIUsage } from "./types.js";

export interface ChatStreamToConverseOptions {
  pointers?: ParsedPointers;
  latencyMs: () => number;
  estimateUsage: EstimateUsage;
}

interface ToolBlock {
  blockIndex: number;
  /** The argument text so far, to check it parses once the call is complete. */
  args: string;
}

type OpenBlock = { kind: "text" | "reasoning"; index: number } | { kind: "tool"; index: number; tool: ToolBlock };

const INCOMPLETE = "The model stream ended before the model finished its response.";

export async function* chatStreamToConverse(events: AsyncIterable<SseEvent>, opts: ChatStreamToConverseOptions): AsyncGenerator<StreamEvent> {
  const state = new StreamState(opts);
  let started = false;
  let done = false;
  for await (const event of events) {
    // After [DONE] the body is read to its end rather than dropped, so the keep-alive connection
    // goes back to the pool instead of being reset.
    if (done) continue;
    if (event.data === "[DONE]") {
      done = true;
      if (!started) yield { messageStart: { role: "assistant" } };
      for (const e of state.finish()) yield e;
      continue;
    }
    const chunk = parseChunk(event.data);
    if (chunk.error !== undefined || event.event === "error") throw streamError(chunk.error ?? event.data);
    if (!started) {
      started = true;
      yield { messageStart: { role: "assistant" } };
    }
    const out = state.apply(chunk);
    for (let i = 0; i < out.length; i++) yield out[i];
  }
  if (done) return;
  // A clean end without [DONE] is accepted once the model said why it stopped; anything else is a cut.
  if (!state.finished) throw new BedrockError("ModelStreamErrorException", INCOMPLETE, { originalMessage: INCOMPLETE });
  if (!started) yield { messageStart: { role: "assistant" } };
  for (const e of state.finish()) yield e;
}

/** An error object sent inside the stream after the 200 (OpenAI, vLLM and Ollama all do this). */
function streamError(error: OpenAIErrorObject | string): UpstreamStreamError {
  const message = typeof error === "string" ? error : (error.message ?? JSON.stringify(error));
  const code = typeof error === "object" ? error.code : undefined;
  const status = typeof code === "number" ? code : Number.parseInt(String(code ?? ""), 10);
  return new UpstreamStreamError(message, Number.isInteger(status) && status >= 400 && status < 600 ? status : undefined);
}

function parseChunk(data: string): OpenAIChunk {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as OpenAIChunk;
  } catch {
    // fall through
  }
  throw new BedrockError("ModelStreamErrorException", "The model sent a stream chunk that is not valid JSON.", {
    originalMessage: data.length > 200 ? `${data.slice(0, 200)}…` : data,
  });
}

class StreamState {
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private readonly tools = new Map<number, ToolBlock>();
  private lastToolKey = -1;
  private finishReason: string | null | undefined;
  private stopReason: string | number | null | undefined;
  private usage: OpenAIUsage | undefined;
  private outputChars = 0;
  /** Top-level chunk fields, for additionalModelResponseFieldPaths; kept only when paths were asked for. */
  private readonly native: Record<string, unknown> | undefined;

  constructor(private readonly opts: ChatStreamToConverseOptions) {
    this.native = opts.pointers ? {} : undefined;
  }

  get finished(): boolean {
    return this.finishReason !== undefined && this.finishReason !== null;
  }

  apply(chunk: OpenAIChunk): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (chunk.usage) this.usage = chunk.usage;
    if (this.native) {
      for (const key in chunk) if (key !== "choices" && chunk[key] !== null) this.native[key] = chunk[key];
    }
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) return out;
    const delta = choice.delta;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === "string" && reasoning.length > 0) {
        this.outputChars += reasoning.length;
        out.push({ contentBlockDelta: { contentBlockIndex: this.ensure("reasoning", out), delta: { reasoningContent: { text: reasoning } } } });
      }
      const text = delta.content ?? delta.refusal;
      if (typeof text === "string" && text.length > 0) {
        this.outputChars += text.length;
        out.push({ contentBlockDelta: { contentBlockIndex: this.ensure("text", out), delta: { text } } });
      }
      if (delta.tool_calls) for (const call of delta.tool_calls) this.applyToolCall(call, out);
    }
    this.applyFinish(choice);
    return out;
  }

  private applyFinish(choice: OpenAIChunkChoice): void {
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    if (choice.stop_reason !== undefined && choice.stop_reason !== null) this.stopReason = choice.stop_reason;
  }

  /** The index of an open block of this kind, opening one (and closing the previous) if needed. */
  private ensure(kind: "text" | "reasoning", out: StreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.close(out);
    const index = this.nextIndex++;
    this.open = { kind, index };
    return index;
  }

  private applyToolCall(call: OpenAIToolCallDelta, out: StreamEvent[]): void {
    // `index` identifies the call across chunks; servers that omit it send each call whole, with an id.
    const key = call.index ?? (call.id !== undefined || this.lastToolKey < 0 ? this.tools.size : this.lastToolKey);
    this.lastToolKey = key;
    let tool = this.tools.get(key);
    if (!tool) {
      this.close(out);
      tool = { blockIndex: this.nextIndex++, args: "" };
      this.tools.set(key, tool);
      this.open = { kind: "tool", index: tool.blockIndex, tool };
      const toolUseId = call.id || generatedToolUseId();
      out.push({ contentBlockStart: { contentBlockIndex: tool.blockIndex, start: { toolUse: { toolUseId, name: call.function?.name ?? "" } } } });
    }
    const args = call.function?.arguments;
    if (args) {
      tool.args += args;
      this.outputChars += args.length;
      // A late fragment of an earlier call (rare: interleaved parallel calls) still goes to its own block.
      out.push({ contentBlockDelta: { contentBlockIndex: tool.blockIndex, delta: { toolUse: { input: args } } } });
    }
  }

  private close(out: StreamEvent[]): void {
    const open = this.open;
    if (!open) return;
    // A call without arguments still needs an input a client can parse.
    if (open.kind === "tool" && open.tool.args === "") {
      open.tool.args = "{}";
      out.push({ contentBlockDelta: { contentBlockIndex: open.index, delta: { toolUse: { input: "{}" } } } });
    }
    out.push({ contentBlockStop: { contentBlockIndex: open.index } });
    this.open = undefined;
  }

  finish(): StreamEvent[] {
    const out: StreamEvent[] = [];
    this.close(out);
    let stopReason = chatFinishReasonToConverse(this.finishReason, this.stopReason, this.tools.size > 0);
    for (const tool of this.tools.values()) if (!parses(tool.args)) stopReason = "malformed_tool_use";
    const messageStop: { stopReason: StopReason; additionalModelResponseFields?: JsonValue } = { stopReason };
    if (this.native) {
      this.native.choices = [{ index: 0, finish_reason: this.finishReason ?? null, stop_reason: this.stopReason ?? null }];
      const fields = pickResponseFields(this.native, this.opts.pointers);
      if (fields) messageStop.additionalModelResponseFields = fields;
    }
    out.push({ messageStop });
    const usage: TokenUsage = chatUsageToConverse(this.usage, () => this.opts.estimateUsage(this.outputChars));
    out.push({ metadata: { usage, metrics: { latencyMs: this.opts.latencyMs() } } });
    return out;
  }
}

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}
