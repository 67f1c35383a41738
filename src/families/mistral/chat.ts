// Mistral's chat format (`mistral-large-2407` and later): `{messages, tools, tool_choice, max_tokens,
// temperature, top_p}` → `{id, object, created, model, choices:[{index, message:{role, content,
// tool_calls?}, stop_reason}], usage}`. Stream chunks carry `message` fragments (not OpenAI's `delta`), the
// last one the complete tool calls, stop_reason and usage.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../../core/model.js";
import type { JsonValue } from "../../core/shapes.generated.js";
import { readReply } from "../../formats/converse/conversation.js";
import { readStream } from "../../formats/converse/read-stream.js";
import { chatFinishReasonFromConverse } from "../../formats/chat-completions/map-finish-reason.js";
import { readChatMessages, readChatTools } from "../../formats/chat-completions/request-to-converse.js";
import { chatToolCall } from "../../formats/chat-completions/response-from-converse.js";
import type { OpenAIToolCall } from "../../formats/chat-completions/types.js";
import { checkObject, type JsonObject, type ObjectSchema } from "../../formats/shared/check-json.js";
import type { InvokeCall } from "../family.js";
import { ErrorList } from "../native-body.js";

const SCHEMA: ObjectSchema = {
  required: ["messages"],
  properties: {
    messages: { type: "array" },
    tools: { type: "array" },
    tool_choice: { type: "string", enum: ["auto", "any", "none"] },
    max_tokens: { type: "integer", min: 1 },
    temperature: { type: "number", min: 0, max: 1 },
    top_p: { type: "number", min: 0, max: 1 },
    stop: { type: "array" },
    random_seed: { type: "integer" },
    response_format: { type: "object" },
    safe_prompt: { type: "boolean" },
  },
};

const PASSED_ON = ["random_seed", "response_format", "safe_prompt"];

export function chatToConverse(body: JsonObject): ConverseInput {
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const conversation = readChatMessages(Array.isArray(body.messages) ? body.messages : [], errors);
  const toolConfig = readChatTools(body.tools, body.tool_choice, errors);
  errors.throwIfAny();
  const stops = Array.isArray(body.stop) && body.stop.length ? (body.stop as string[]) : undefined;
  const input = conversation.toInput({
    maxTokens: body.max_tokens as number | undefined,
    temperature: body.temperature as number | undefined,
    topP: body.top_p as number | undefined,
    stopSequences: stops,
  });
  if (toolConfig) input.toolConfig = toolConfig;
  const extra = Object.fromEntries(PASSED_ON.filter((k) => body[k] !== undefined).map((k) => [k, body[k] as JsonValue]));
  if (Object.keys(extra).length) input.additionalModelRequestFields = extra;
  return input;
}

const header = (call: InvokeCall, object: string) => ({
  id: call.requestId.replaceAll("-", ""), object, created: Math.floor(Date.now() / 1000), model: call.modelId,
});
const usageOf = (u: { inputTokens: number; outputTokens: number }) =>
  ({ prompt_tokens: u.inputTokens, total_tokens: u.inputTokens + u.outputTokens, completion_tokens: u.outputTokens });

export function chatFromConverse(output: ConverseOutput, call: InvokeCall): unknown {
  const reply = readReply(output);
  const toolCalls = reply.toolCalls.map((t) => chatToolCall(t.id, t.name, JSON.stringify(t.input)));
  return {
    ...header(call, "chat.completion"),
    choices: [{
      index: 0,
      message: { role: "assistant", content: reply.text, ...(toolCalls.length && { tool_calls: toolCalls }) },
      stop_reason: chatFinishReasonFromConverse(reply.stopReason),
    }],
    usage: usageOf(reply.usage),
  };
}

export async function* chatToChunks(events: AsyncIterable<StreamEvent>, call: InvokeCall): AsyncIterable<Record<string, unknown>> {
  const base = header(call, "chat.completion.chunk");
  const chunk = (message: Record<string, unknown>, stop: string | null) =>
    ({ ...base, choices: [{ index: 0, message: { role: "assistant", ...message }, stop_reason: stop }] });
  const toolCalls: OpenAIToolCall[] = [];
  let held: string | undefined;
  for await (const piece of readStream(events)) {
    if (piece.kind === "text") {
      if (held !== undefined) yield chunk({ content: held }, null);
      held = piece.text;
    } else if (piece.kind === "toolStop") {
      toolCalls.push(chatToolCall(piece.id, piece.name, piece.input));
    } else if (piece.kind === "end") {
      const last = chunk({ content: held ?? "", ...(toolCalls.length && { tool_calls: toolCalls }) }, chatFinishReasonFromConverse(piece.stopReason));
      yield { ...last, usage: usageOf(piece.usage) };
    }
  }
}
