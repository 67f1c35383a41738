// Converse output → a `chat.completion` (the openai family's InvokeModel answer; an OpenAI front door's).
// As on Bedrock, the model's reasoning comes first in the content, inside <reasoning> tags.
import type { ConverseOutput } from "../../core/model.js";
import { readReply } from "../converse/conversation.js";
import { chatFinishReasonFromConverse } from "./map-finish-reason.js";
import { chatUsageFromConverse } from "./map-usage.js";
import type { ChatCompletion, OpenAIToolCall } from "./types.js";

/** What the answer says that Converse does not: its id, the model name to report, when it was made. */
export interface ChatAnswerOptions {
  id: string;
  model: string;
  /** Unix seconds; defaults to now. */
  created?: number;
  /**
   * Where the model's reasoning goes: `tags` — inside `<reasoning>` tags ahead of the text, as Bedrock answers
   * gpt-oss (the default); `field` — apart, in `reasoning_content` (the convention of OpenAI-compatible servers),
   * so that `content` stays the answer alone: a front door's JSON and parse helpers read it as it is.
   */
  reasoning?: "tags" | "field";
}

export const chatToolCall = (id: string, name: string, args: string): OpenAIToolCall =>
  ({ id, type: "function", function: { name, arguments: args } });

const tagReasoning = (reasoning: string): string => (reasoning ? `<reasoning>${reasoning}</reasoning>` : "");

export function chatResponseFromConverse(output: ConverseOutput, opts: ChatAnswerOptions): ChatCompletion {
  const reply = readReply(output);
  const apart = opts.reasoning === "field";
  const text = apart ? reply.text : tagReasoning(reply.reasoning) + reply.text;
  const toolCalls = reply.toolCalls.map((t) => chatToolCall(t.id, t.name, JSON.stringify(t.input)));
  return {
    id: opts.id,
    object: "chat.completion",
    created: opts.created ?? Math.floor(Date.now() / 1000),
    model: opts.model,
    choices: [{
      index: 0,
      message: {
        role: "assistant", content: text === "" && toolCalls.length ? null : text,
        ...(apart && reply.reasoning && { reasoning_content: reply.reasoning }),
        ...(toolCalls.length && { tool_calls: toolCalls }),
      },
      finish_reason: chatFinishReasonFromConverse(reply.stopReason),
    }],
    usage: chatUsageFromConverse(reply.usage),
  };
}
