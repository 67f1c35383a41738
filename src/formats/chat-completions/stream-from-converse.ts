// ConverseStream events → `chat.completion.chunk`s (the openai family's stream chunks; an OpenAI front
// door's SSE `data:` payloads): a role chunk, one chunk per delta, then one with finish_reason and usage.
// Reasoning is streamed inside <reasoning> tags ahead of the text, as Bedrock does.
import type { StreamEvent } from "../../core/model.js";
import { readStream } from "../converse/read-stream.js";
import { chatFinishReasonFromConverse } from "./map-finish-reason.js";
import { chatUsageFromConverse } from "./map-usage.js";
import { chatToolCall, type ChatAnswerOptions } from "./response-from-converse.js";
import type { ChatCompletionChunk, ChatDelta } from "./types.js";

export async function* chatStreamFromConverse(events: AsyncIterable<StreamEvent>, opts: ChatAnswerOptions): AsyncIterable<ChatCompletionChunk> {
  const header = { id: opts.id, object: "chat.completion.chunk", created: opts.created ?? Math.floor(Date.now() / 1000), model: opts.model } as const;
  const chunk = (delta: ChatDelta, finish: string | null = null): ChatCompletionChunk =>
    ({ ...header, choices: [{ index: 0, delta, finish_reason: finish }] });
  yield chunk({ role: "assistant", content: "" });
  let inReasoning = false;
  const apart = opts.reasoning === "field";
  for await (const piece of readStream(events)) {
    if (piece.kind === "reasoning" && apart) {
      yield chunk({ reasoning_content: piece.text });
      continue;
    }
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
        yield { ...chunk({}, chatFinishReasonFromConverse(piece.stopReason)), usage: chatUsageFromConverse(piece.usage) };
        break;
    }
  }
}
