// Messages API SSE events → ConverseStream events (what the anthropic provider reads from its upstream),
// one upstream event at a time: every delta is
// passed on as it arrives, nothing waits for the whole message. Anthropic numbers its content blocks
// the way Bedrock does, but blocks with no Converse form (server tools) are skipped, so indices are
// renumbered to stay dense.
import { BedrockError } from "../../core/errors.js";
import type { StreamEvent } from "../../core/model.js";
import type { JsonValue, StopReason } from "../../core/shapes.generated.js";
import { pickResponseFields, type ParsedPointers } from "../converse/pick-response-fields.js";
import { UpstreamStreamError } from "../shared/upstream-stream-error.js";
import type { SseEvent } from "../sse/parse.js";
import type { AnthropicResponse, AnthropicResponseBlock, AnthropicStreamEvent, AnthropicUsage } from "./types.js";
import { anthropicCitationToConverse, type AnthropicCitation } from "./map-citation.js";
import { anthropicErrorStatus } from "./map-error.js";
import { anthropicStopReasonToConverse } from "./map-stop-reason.js";
import { anthropicUsageToConverse, mergeAnthropicUsage } from "./map-usage.js";

export interface AnthropicStreamToConverseOptions {
  pointers?: ParsedPointers;
  latencyMs: () => number;
}

const INCOMPLETE = "The model stream ended before the model finished its response.";

export async function* anthropicStreamToConverse(events: AsyncIterable<SseEvent>, opts: AnthropicStreamToConverseOptions): AsyncGenerator<StreamEvent> {
  const state = new StreamState(opts);
  for await (const sse of events) {
    // After message_stop the body is read to its end rather than dropped, so the keep-alive
    // connection goes back to the pool instead of being reset.
    if (state.done) continue;
    const out = state.apply(parseEvent(sse));
    for (let i = 0; i < out.length; i++) yield out[i];
  }
  if (state.done) return;
  // A clean end after message_delta said why the model stopped is accepted; anything else is a cut.
  if (!state.stopKnown) throw new BedrockError("ModelStreamErrorException", INCOMPLETE, { originalMessage: INCOMPLETE });
  for (const e of state.finish()) yield e;
}

function parseEvent(sse: SseEvent): AnthropicStreamEvent {
  try {
    const parsed: unknown = JSON.parse(sse.data);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const event = parsed as AnthropicStreamEvent;
      // The `event:` name and the payload's `type` agree on Anthropic; trust the name when the type is missing.
      if (typeof event.type !== "string") (event as { type: string }).type = sse.event;
      return event;
    }
  } catch {
    // fall through
  }
  throw new BedrockError("ModelStreamErrorException", "The model sent a stream event that is not valid JSON.", {
    originalMessage: sse.data.length > 200 ? `${sse.data.slice(0, 200)}…` : sse.data,
  });
}

class StreamState {
  done = false;
  stopKnown = false;
  private started = false;
  private nextIndex = 0;
  /** Upstream block index → our contentBlockIndex, for the blocks we translate. */
  private readonly indices = new Map<number, number>();
  private message: AnthropicResponse = {};
  private usage: AnthropicUsage | undefined;
  private stopReason: string | null | undefined;
  private stopSequence: string | null | undefined;
  private delta: Record<string, unknown> | undefined;

  constructor(private readonly opts: AnthropicStreamToConverseOptions) {}

  apply(event: AnthropicStreamEvent): StreamEvent[] {
    const out: StreamEvent[] = [];
    switch (event.type) {
      case "message_start":
        this.message = event.message ?? {};
        this.usage = mergeAnthropicUsage(undefined, this.message.usage);
        this.start(out);
        break;
      case "content_block_start":
        this.start(out);
        this.blockStart(event.index, event.content_block, out);
        break;
      case "content_block_delta": {
        const index = this.indices.get(event.index);
        if (index === undefined) break;
        const d = event.delta;
        if (d.type === "text_delta") out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { text: String(d.text) } } });
        else if (d.type === "input_json_delta") {
          out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input: String(d.partial_json) } } } });
        } else if (d.type === "thinking_delta") {
          out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { text: String(d.thinking) } } } });
        } else if (d.type === "signature_delta") {
          out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { signature: String(d.signature) } } } });
        } else if (d.type === "citations_delta" && d.citation && typeof d.citation === "object") {
          // Bedrock sends the citation as a delta of the text block it belongs to, ahead of that text.
          out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { citation: anthropicCitationToConverse(d.citation as AnthropicCitation) } } });
        }
        // Future delta types: no Converse form.
        break;
      }
      case "content_block_stop": {
        const index = this.indices.get(event.index);
        if (index !== undefined) out.push({ contentBlockStop: { contentBlockIndex: index } });
        break;
      }
      case "message_delta":
        this.start(out);
        this.delta = event.delta;
        if (event.delta?.stop_reason !== undefined) {
          this.stopReason = event.delta.stop_reason;
          this.stopKnown = event.delta.stop_reason !== null;
        }
        if (event.delta?.stop_sequence !== undefined) this.stopSequence = event.delta.stop_sequence;
        this.usage = mergeAnthropicUsage(this.usage, event.usage);
        break;
      case "message_stop":
        this.start(out);
        out.push(...this.finish());
        this.done = true;
        break;
      case "error": {
        const error = event.error ?? {};
        throw new UpstreamStreamError(error.message ?? error.type ?? "unknown error", anthropicErrorStatus(error.type));
      }
      // ping and unknown events: nothing to say.
    }
    return out;
  }

  private start(out: StreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push({ messageStart: { role: "assistant" } });
  }

  private blockStart(upstreamIndex: number, block: AnthropicResponseBlock, out: StreamEvent[]): void {
    const type = block.type;
    if (type !== "text" && type !== "tool_use" && type !== "thinking" && type !== "redacted_thinking") return;
    const index = this.nextIndex++;
    this.indices.set(upstreamIndex, index);
    // Bedrock opens text and reasoning blocks with their first delta, tool calls with a contentBlockStart.
    if (type === "tool_use") {
      out.push({ contentBlockStart: { contentBlockIndex: index, start: { toolUse: { toolUseId: String(block.id), name: String(block.name) } } } });
    } else if (type === "redacted_thinking") {
      out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { redactedContent: String(block.data) } } } });
    } else if (type === "text" && typeof block.text === "string" && block.text !== "") {
      out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { text: block.text } } });
    } else if (type === "thinking" && typeof block.thinking === "string" && block.thinking !== "") {
      out.push({ contentBlockDelta: { contentBlockIndex: index, delta: { reasoningContent: { text: block.thinking } } } });
    }
  }

  finish(): StreamEvent[] {
    const stopReason: StopReason = anthropicStopReasonToConverse(this.stopReason);
    const messageStop: { stopReason: StopReason; additionalModelResponseFields?: JsonValue } = { stopReason };
    if (this.opts.pointers) {
      // The message as a non-streamed response would have it, plus message_delta's `delta`, so both
      // `/stop_sequence` and `/delta/stop_sequence` (what Bedrock's Claude streams answer) resolve.
      const native = {
        ...this.message, stop_reason: this.stopReason ?? null, stop_sequence: this.stopSequence ?? null, usage: this.usage,
        delta: this.delta ?? { stop_reason: this.stopReason ?? null, stop_sequence: this.stopSequence ?? null },
      };
      const fields = pickResponseFields(native, this.opts.pointers);
      if (fields) messageStop.additionalModelResponseFields = fields;
    }
    return [
      { messageStop },
      { metadata: { usage: anthropicUsageToConverse(this.usage), metrics: { latencyMs: this.opts.latencyMs() } } },
    ];
  }
}
