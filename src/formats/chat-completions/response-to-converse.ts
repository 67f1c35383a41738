// Chat Completions JSON response → ConverseOutput (what the openai provider reads from its upstream).
import { BedrockError } from "../../core/errors.js";
import type { ConverseOutput } from "../../core/model.js";
import type { ContentBlock, JsonValue, StopReason } from "../../core/shapes.generated.js";
import { pickResponseFields, type ParsedPointers } from "../converse/pick-response-fields.js";
import type { OpenAIResponse } from "./types.js";
import { isObject } from "../shared/check-json.js";
import { chatFinishReasonToConverse } from "./map-finish-reason.js";
import { chatUsageToConverse } from "./map-usage.js";

/** Token counts for an upstream that sent no usage, given how many characters the model wrote. */
export type EstimateUsage = (outputChars: number) => { input: number; output: number };

export interface ChatResponseToConverseOptions {
  pointers?: ParsedPointers;
  latencyMs: number;
  estimateUsage: EstimateUsage;
}

export function chatResponseToConverse(response: OpenAIResponse, opts: ChatResponseToConverseOptions): ConverseOutput {
  const choice = response.choices?.find((c) => (c.index ?? 0) === 0);
  const message = choice?.message;
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new BedrockError("ModelErrorException", "The model returned a response without a message.", { originalStatusCode: 200 });
  }
  // A misshapen tool call list would otherwise read as no tool call at all.
  const calls: unknown = message.tool_calls;
  if (calls !== undefined && calls !== null && (!Array.isArray(calls) || !calls.every((c) => isObject(c) && (c.function === undefined || isObject(c.function))))) {
    throw new BedrockError("ModelErrorException", "The model returned tool calls in a shape Basalt cannot read.", { originalStatusCode: 200 });
  }
  const content: ContentBlock[] = [];
  let outputChars = 0;
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning.length > 0) {
    content.push({ reasoningContent: { reasoningText: { text: reasoning } } });
    outputChars += reasoning.length;
  }
  const text = message.content ?? message.refusal;
  if (typeof text === "string" && text.length > 0) {
    content.push({ text });
    outputChars += text.length;
  }
  let malformedToolUse = false;
  for (const call of message.tool_calls ?? []) {
    const args = call.function?.arguments ?? "";
    outputChars += args.length;
    let input: JsonValue = {};
    try {
      if (args.trim() !== "") input = JSON.parse(args) as JsonValue;
    } catch {
      malformedToolUse = true;
    }
    content.push({ toolUse: { toolUseId: call.id || generatedToolUseId(), name: call.function?.name ?? "", input } });
  }
  if (content.length === 0) content.push({ text: "" });

  const hasToolCalls = (message.tool_calls?.length ?? 0) > 0;
  let stopReason: StopReason = chatFinishReasonToConverse(choice?.finish_reason, choice?.stop_reason, hasToolCalls);
  if (malformedToolUse) stopReason = "malformed_tool_use";

  const output: ConverseOutput = {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage: chatUsageToConverse(response.usage, () => opts.estimateUsage(outputChars)),
    metrics: { latencyMs: opts.latencyMs },
  };
  const fields = pickResponseFields(response, opts.pointers);
  if (fields) output.additionalModelResponseFields = fields;
  return output;
}

let toolUseCounter = 0;
/** For servers that send tool calls without ids (some llama.cpp and Ollama versions). */
export function generatedToolUseId(): string {
  toolUseCounter = (toolUseCounter + 1) % 1_000_000_000;
  return `tooluse_${Date.now().toString(36)}${toolUseCounter.toString(36)}`;
}
