// Converse stream events → Messages API stream events (message_start, content_block_start/delta/stop,
// message_delta, message_stop): the anthropic family's `chunk`s, an Anthropic front door's SSE events.
//
// Converse reports usage only in its last event (metadata), after messageStop, so message_delta and
// message_stop are held until then. message_start therefore carries input_tokens 0; the real counts travel
// in message_delta's usage, which the Anthropic SDKs fold into the final message.
import type { StreamEvent } from "../../core/model.js";
import type { StopReason, TokenUsage } from "../../core/shapes.generated.js";
import { anthropicUsageFromConverse } from "./map-usage.js";
import { anthropicCitationFromConverse } from "./map-citation.js";
import { anthropicStopReason, matchedStopSequence, type AnthropicAnswerOptions } from "./response-from-converse.js";
import type { AnthropicBlockOut, AnthropicStreamEventOut } from "./types.js";

export async function* anthropicStreamFromConverse(events: AsyncIterable<StreamEvent>, opts: AnthropicAnswerOptions): AsyncIterable<AnthropicStreamEventOut> {
  const open = new Set<number>();
  let started = false;
  let stop: { reason: StopReason; fields: unknown } | undefined;
  let usage: TokenUsage | undefined;

  const messageStart = (): AnthropicStreamEventOut => {
    started = true;
    return {
      type: "message_start",
      message: {
        id: opts.id, type: "message", role: "assistant", model: opts.model, content: [],
        stop_reason: null, stop_sequence: null, usage: anthropicUsageFromConverse(undefined),
      },
    };
  };
  const blockStart = (index: number, content_block: AnthropicBlockOut): AnthropicStreamEventOut => {
    open.add(index);
    return { type: "content_block_start", index, content_block };
  };

  for await (const event of events) {
    if (!started) yield messageStart();
    if (event.messageStart) continue;
    if (event.contentBlockStart) {
      const { contentBlockIndex: index, start } = event.contentBlockStart;
      if ("toolUse" in start) {
        yield blockStart(index, { type: "tool_use", id: start.toolUse.toolUseId, name: start.toolUse.name, input: {} });
      }
    } else if (event.contentBlockDelta) {
      const { contentBlockIndex: index, delta } = event.contentBlockDelta;
      if ("text" in delta) {
        if (!open.has(index)) yield blockStart(index, { type: "text", text: "" });
        yield { type: "content_block_delta", index, delta: { type: "text_delta", text: delta.text } };
      } else if ("toolUse" in delta) {
        // A backend that skipped contentBlockStart still gets a well-formed tool block.
        if (!open.has(index)) yield blockStart(index, { type: "tool_use", id: `toolu_${index}`, name: "", input: {} });
        yield { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: delta.toolUse.input } };
      } else if ("citation" in delta) {
        // A citation arrives ahead of its block's text (as Bedrock streams it): Claude's citations_delta.
        if (!open.has(index)) yield blockStart(index, { type: "text", text: "", citations: [] });
        yield { type: "content_block_delta", index, delta: { type: "citations_delta", citation: anthropicCitationFromConverse(delta.citation) } };
      } else if ("reasoningContent" in delta) {
        const r = delta.reasoningContent;
        if ("redactedContent" in r) {
          yield blockStart(index, { type: "redacted_thinking", data: r.redactedContent });
          continue;
        }
        if (!open.has(index)) yield blockStart(index, { type: "thinking", thinking: "", signature: "" });
        if ("text" in r) yield { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: r.text } };
        else yield { type: "content_block_delta", index, delta: { type: "signature_delta", signature: r.signature } };
      }
    } else if (event.contentBlockStop) {
      const index = event.contentBlockStop.contentBlockIndex;
      if (!open.has(index)) yield blockStart(index, { type: "text", text: "" });
      open.delete(index);
      yield { type: "content_block_stop", index };
    } else if (event.messageStop) {
      stop = { reason: event.messageStop.stopReason, fields: event.messageStop.additionalModelResponseFields };
    } else if (event.metadata) {
      usage = event.metadata.usage;
    }
  }
  if (!started) yield messageStart();
  for (const index of open) yield { type: "content_block_stop", index };
  const u = anthropicUsageFromConverse(usage);
  const stopReason = anthropicStopReason(stop?.reason, opts);
  yield {
    type: "message_delta",
    delta: stopReason === "guardrail_intervened"
      ? { stop_reason: stopReason }
      : { stop_reason: stopReason, stop_sequence: matchedStopSequence(stop?.reason, stop?.fields, opts.stopSequences) },
    usage: u,
  };
  yield { type: "message_stop" };
}
