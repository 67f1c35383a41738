// One Converse content block → its Messages API twin, for what a model says: an answer's content, and
// the assistant turns a request sends back. Thinking goes back exactly as it came (signature included):
// Anthropic checks it on the next turn.
import type { ContentBlock } from "../../core/shapes.generated.js";
import type { AnthropicBlockOut } from "./types.js";
import { anthropicCitationFromConverse } from "./map-citation.js";

/** Blocks with no Messages form in an assistant turn (images, documents…) give undefined. */
export function anthropicBlockFromConverse(block: ContentBlock, opts: { citations?: boolean } = {}): AnthropicBlockOut | undefined {
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
    // Claude's form of a cited passage in an answer: a text block carrying its citations. Sent back in a
    // request's history it goes as its text (the documents it cites may no longer be in the request).
    const citations = opts.citations ? (block.citationsContent.citations ?? []).map(anthropicCitationFromConverse) : [];
    return { type: "text", text: (block.citationsContent.content ?? []).map((c) => c.text).join(""), ...(citations.length && { citations }) };
  }
  return undefined;
}
