// Messages API JSON response → ConverseOutput (what the anthropic provider reads from its upstream).
import { BedrockError } from "../../core/errors.js";
import type { ConverseOutput } from "../../core/model.js";
import type { ContentBlock, JsonValue } from "../../core/shapes.generated.js";
import { pickResponseFields, type ParsedPointers } from "../converse/pick-response-fields.js";
import type { AnthropicResponse, AnthropicResponseBlock } from "./types.js";
import { anthropicCitationToConverse, type AnthropicCitation } from "./map-citation.js";
import { anthropicStopReasonToConverse } from "./map-stop-reason.js";
import { anthropicUsageToConverse } from "./map-usage.js";

export interface AnthropicResponseToConverseOptions {
  pointers?: ParsedPointers;
  latencyMs: number;
}

export function anthropicResponseToConverse(response: AnthropicResponse, opts: AnthropicResponseToConverseOptions): ConverseOutput {
  if (!response || !Array.isArray(response.content)) {
    throw new BedrockError("ModelErrorException", "The model returned a response without content.", { originalStatusCode: 200 });
  }
  const content: ContentBlock[] = [];
  for (const block of response.content) {
    const converted = anthropicBlockToConverse(block);
    if (converted) content.push(converted);
  }
  const output: ConverseOutput = {
    output: { message: { role: "assistant", content } },
    stopReason: anthropicStopReasonToConverse(response.stop_reason),
    usage: anthropicUsageToConverse(response.usage),
    metrics: { latencyMs: opts.latencyMs },
  };
  const fields = pickResponseFields(response, opts.pointers);
  if (fields) output.additionalModelResponseFields = fields;
  return output;
}

/**
 * One response block → its Converse twin. Server-tool blocks (server_tool_use, web_search_tool_result…)
 * have no Converse form and are left out.
 */
function anthropicBlockToConverse(block: AnthropicResponseBlock): ContentBlock | undefined {
  switch (block.type) {
    case "text": {
      // Cited text (documents with citations enabled) comes back as Bedrock answers it for Claude:
      // a citationsContent block holding the text and what it cites.
      const text = String(block.text ?? "");
      const citations = (block as { citations?: unknown }).citations;
      if (Array.isArray(citations) && citations.length > 0) {
        return { citationsContent: { content: [{ text }], citations: citations.map((c) => anthropicCitationToConverse(c as AnthropicCitation)) } };
      }
      return { text };
    }
    case "tool_use":
      return { toolUse: { toolUseId: String(block.id), name: String(block.name), input: (block.input ?? {}) as JsonValue } };
    case "thinking": {
      const reasoningText: { text: string; signature?: string } = { text: String(block.thinking ?? "") };
      if (typeof block.signature === "string" && block.signature !== "") reasoningText.signature = block.signature;
      return { reasoningContent: { reasoningText } };
    }
    case "redacted_thinking":
      // Anthropic's opaque `data` is base64 already: it becomes the blob's bytes, and goes back unchanged.
      return { reasoningContent: { redactedContent: String(block.data) } };
    default:
      return undefined;
  }
}
