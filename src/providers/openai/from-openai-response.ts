// Chat Completions JSON response → ConverseOutput.
import { BedrockError } from "../../core/errors.js";
import type { ConverseOutput } from "../../core/model.js";
import type { ContentBlock, JsonValue, StopReason } from "../../core/shapes.generated.js";
import { pickResponseFields, type ParsedPointers } from "../shared/pick-response-fields.js";
import { estimateTextTokens } from "../shared/estimate-tokens.js";
import type { OpenAIResponse } from "./openai-api-types.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { mapOpenAIUsage } from "./map-openai-usage.js";

export interface FromOpenAIResponseOptions {
  pointers?: ParsedPointers;
  latencyMs: number;
  /** Input tokens to report when the upstream sends no usage. */
  estimateInputTokens: () => number;
}

export function fromOpenAIResponse(response: OpenAIResponse, opts: FromOpenAIResponseOptions): ConverseOutput {
  const choice = response.choices?.find((c) => (c.index ?? 0) === 0);
  const message = choice?.message;
  if (!message) {
    throw new BedrockError("ModelErrorException", "The model returned a response without a message.", { originalStatusCode: 200 });
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
  let stopReason: StopReason = mapOpenAIFinishReason(choice?.finish_reason, choice?.stop_reason, hasToolCalls);
  if (malformedToolUse) stopReason = "malformed_tool_use";

  const output: ConverseOutput = {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage: mapOpenAIUsage(response.usage, () => ({ input: opts.estimateInputTokens(), output: estimateTextTokens(outputChars) })),
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
