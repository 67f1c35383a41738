// Converse stream events reduced to what the text/chat families emit: text and reasoning pieces, tool
// calls (start, argument pieces, end with the whole JSON), and one final `end` with stop reason and usage.
import type { StreamEvent } from "../../core/model.js";
import type { StopReason } from "../../core/shapes.generated.js";
import { usageOf, type ReplyUsage } from "./conversation.js";

export type Piece =
  | { kind: "text"; text: string }
  | { kind: "reasoning"; text: string }
  | { kind: "toolStart"; call: number; id: string; name: string }
  | { kind: "toolDelta"; call: number; input: string }
  | { kind: "toolStop"; call: number; id: string; name: string; input: string }
  | { kind: "end"; stopReason: StopReason; usage: ReplyUsage };

interface OpenTool { call: number; id: string; name: string; input: string }

export async function* readStream(events: AsyncIterable<StreamEvent>): AsyncIterable<Piece> {
  const open = new Map<number, OpenTool>();
  let calls = 0;
  let stopReason: StopReason = "end_turn";
  let usage: ReplyUsage = { inputTokens: 0, outputTokens: 0 };
  for await (const event of events) {
    if (event.contentBlockStart) {
      const start = event.contentBlockStart.start;
      if ("toolUse" in start) {
        const tool = { call: calls++, id: start.toolUse.toolUseId, name: start.toolUse.name, input: "" };
        open.set(event.contentBlockStart.contentBlockIndex, tool);
        yield { kind: "toolStart", call: tool.call, id: tool.id, name: tool.name };
      }
    } else if (event.contentBlockDelta) {
      const delta = event.contentBlockDelta.delta;
      if ("text" in delta) {
        if (delta.text !== "") yield { kind: "text", text: delta.text };
      } else if ("reasoningContent" in delta) {
        const r = delta.reasoningContent;
        if ("text" in r && r.text) yield { kind: "reasoning", text: r.text };
      } else if ("toolUse" in delta) {
        const tool = open.get(event.contentBlockDelta.contentBlockIndex);
        if (tool) {
          tool.input += delta.toolUse.input;
          yield { kind: "toolDelta", call: tool.call, input: delta.toolUse.input };
        }
      }
    } else if (event.contentBlockStop) {
      const tool = open.get(event.contentBlockStop.contentBlockIndex);
      if (tool) {
        open.delete(event.contentBlockStop.contentBlockIndex);
        yield { kind: "toolStop", call: tool.call, id: tool.id, name: tool.name, input: tool.input || "{}" };
      }
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason;
    } else if (event.metadata) {
      usage = usageOf(event.metadata.usage);
    }
  }
  yield { kind: "end", stopReason, usage };
}

/** Tool-call arguments as JSON text parsed back, or the raw text when a backend sent something unparsable. */
export function parseArguments(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
