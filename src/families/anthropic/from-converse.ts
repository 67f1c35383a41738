// Converse output → a Claude Messages response body, as Bedrock's InvokeModel returns it for Claude.
import type { ConverseOutput } from "../../core/model.js";
import type { ContentBlock } from "../../core/shapes.generated.js";
import type { InvokeCall } from "../family.js";
import { claudeUsage, mapStopReason, matchedStopSequence, messageId, modelName } from "./message-meta.js";

export type ClaudeBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };

export function toClaudeBlock(block: ContentBlock): ClaudeBlock | undefined {
  if ("text" in block) return { type: "text", text: block.text };
  if ("toolUse" in block) {
    return { type: "tool_use", id: block.toolUse.toolUseId, name: block.toolUse.name, input: block.toolUse.input ?? {} };
  }
  if ("reasoningContent" in block) {
    const r = block.reasoningContent;
    if ("reasoningText" in r) return { type: "thinking", thinking: r.reasoningText.text, signature: r.reasoningText.signature ?? "" };
    return { type: "redacted_thinking", data: r.redactedContent };
  }
  if ("citationsContent" in block) {
    const text = (block.citationsContent.content ?? []).map((c) => ("text" in c ? c.text : "")).join("");
    return { type: "text", text };
  }
  return undefined;
}

export function anthropicFromConverse(output: ConverseOutput, call: InvokeCall): unknown {
  const blocks = output.output && "message" in output.output ? output.output.message.content : [];
  const content: ClaudeBlock[] = [];
  for (const b of blocks) {
    const c = toClaudeBlock(b);
    if (c) content.push(c);
  }
  return {
    id: messageId(),
    type: "message",
    role: "assistant",
    model: modelName(call.modelId),
    content,
    stop_reason: mapStopReason(output.stopReason),
    stop_sequence: matchedStopSequence(output.stopReason, output.additionalModelResponseFields, call.input),
    usage: claudeUsage(output.usage),
  };
}
