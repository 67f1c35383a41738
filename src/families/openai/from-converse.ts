// Converse answers → OpenAI Chat Completions objects: `chat.completion`, and `chat.completion.chunk`s for
// streams. On Bedrock the model's reasoning comes first in the content, inside <reasoning> tags.
import type { ConverseOutput, StreamEvent } from "../../core/model.js";
import type { InvokeCall } from "../family.js";
import { chatToolCall } from "../shared/chat-messages.js";
import { readReply } from "../shared/conversation.js";
import { readStream } from "../shared/read-stream.js";
import { chatFinishReason } from "../shared/stop-reasons.js";

const completionId = (call: InvokeCall) => `chatcmpl-${call.ctx.requestId.replaceAll("-", "")}`;
const usageOf = (u: { inputTokens: number; outputTokens: number }) =>
  ({ prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens });

export function openaiFromConverse(output: ConverseOutput, call: InvokeCall): unknown {
  const reply = readReply(output);
  const text = (reply.reasoning ? `<reasoning>${reply.reasoning}</reasoning>` : "") + reply.text;
  const toolCalls = reply.toolCalls.map((t) => chatToolCall(t.id, t.name, JSON.stringify(t.input)));
  return {
    id: completionId(call),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: call.modelId,
    choices: [{
      index: 0,
      message: { role: "assistant", content: text === "" && toolCalls.length ? null : text, ...(toolCalls.length && { tool_calls: toolCalls }) },
      finish_reason: chatFinishReason(reply.stopReason),
    }],
    usage: usageOf(reply.usage),
  };
}

export async function* openaiToChunks(events: AsyncIterable<StreamEvent>, call: InvokeCall): AsyncIterable<Record<string, unknown>> {
  const base = { id: completionId(call), object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: call.modelId };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  yield chunk({ role: "assistant", content: "" });
  let inReasoning = false;
  for await (const piece of readStream(events)) {
    if (piece.kind === "reasoning") {
      yield chunk({ content: (inReasoning ? "" : "<reasoning>") + piece.text });
      inReasoning = true;
      continue;
    }
    if (inReasoning && piece.kind !== "end") {
      yield chunk({ content: "</reasoning>" });
      inReasoning = false;
    }
    switch (piece.kind) {
      case "text":
        yield chunk({ content: piece.text });
        break;
      case "toolStart":
        yield chunk({ tool_calls: [{ index: piece.call, ...chatToolCall(piece.id, piece.name, "") }] });
        break;
      case "toolDelta":
        yield chunk({ tool_calls: [{ index: piece.call, function: { arguments: piece.input } }] });
        break;
      case "end":
        if (inReasoning) yield chunk({ content: "</reasoning>" });
        yield { ...chunk({}, chatFinishReason(piece.stopReason)), usage: usageOf(piece.usage) };
        break;
    }
  }
}
