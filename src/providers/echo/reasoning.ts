// Echo's reasoning (README, "The basalt.echo model"): with `additionalModelRequestFields.thinking`
// (`{"type":"enabled"|"adaptive"}`, Claude's form) or `reasoningConfig` (`{"type":"enabled"}`, Nova's form),
// the reply starts with a reasoningContent block whose text is a deterministic trace and whose signature is
// an HMAC-SHA256 of that text (key `basalt.echo`, base64). Reasoning blocks sent back in assistant messages are
// verified as Claude on Bedrock verifies them; the wording is that of the public reports:
//   a changed text or signature: "The model returned the following errors: messages.39.content.0: Invalid
//     signature in thinking block" (openclaw/openclaw#88020, global.anthropic.claude-sonnet-4-6 on Bedrock);
//   no signature: "The model returned the following errors: messages.369.content.0.thinking.signature: Field
//     required" (can1357/oh-my-pi#10486, Bedrock).
import { createHmac, timingSafeEqual } from "node:crypto";
import { validationError } from "../../core/errors.js";
import { isObject } from "../../core/json.js";
import type { ConverseInput } from "../../core/model.js";
import { countTokens } from "../../core/text-tokens.js";

const KEY = "basalt.echo";

export function signReasoning(text: string): string {
  return createHmac("sha256", KEY).update(text, "utf8").digest("base64");
}

function validSignature(text: string, signature: string): boolean {
  const expected = Buffer.from(signReasoning(text), "base64");
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether the request turns reasoning on, in either model family's words. */
export function reasoningRequested(input: ConverseInput): boolean {
  const fields = input.additionalModelRequestFields;
  if (!isObject(fields)) return false;
  const thinking = fields.thinking;
  const config = fields.reasoningConfig;
  return (isObject(thinking) && (thinking.type === "enabled" || thinking.type === "adaptive"))
    || (isObject(config) && config.type === "enabled");
}

/** The trace echo "thinks" before replying to `reply`. */
export function reasoningTrace(reply: string): string {
  return `The last user message renders as ${countTokens(reply)} tokens; echo repeats them.`;
}

/** Throws the ValidationException Bedrock answers for a reasoning block whose signature does not verify. */
export function verifyReasoningBlocks(input: ConverseInput): void {
  (input.messages ?? []).forEach((message, i) => {
    if (message.role !== "assistant") return;
    message.content.forEach((block, j) => {
      if (!("reasoningContent" in block) || !("reasoningText" in block.reasoningContent)) return;
      const { text, signature } = block.reasoningContent.reasoningText;
      if (signature === undefined) {
        throw validationError(`The model returned the following errors: messages.${i}.content.${j}.thinking.signature: Field required`);
      }
      if (!validSignature(text, signature)) {
        throw validationError(`The model returned the following errors: messages.${i}.content.${j}: Invalid signature in thinking block`);
      }
    });
  });
}
