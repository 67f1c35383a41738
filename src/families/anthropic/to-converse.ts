// A Claude Messages body (Bedrock flavour: `anthropic_version: bedrock-2023-05-31`, no `model`, no `stream`)
// → Converse input. formats/anthropic-messages reads what is below the top level; what is Bedrock's own is
// the top-level schema and how a failure is worded.
import type { ConverseInput } from "../../core/model.js";
import { anthropicRequestToConverse, PASS_THROUGH_FIELDS, stringList } from "../../formats/anthropic-messages/request-to-converse.js";
import { validationError } from "../../core/errors.js";
import { checkObject, isObject, type ObjectSchema } from "../../formats/shared/check-json.js";
import { ErrorList, malformed } from "../native-body.js";

const SCHEMA: ObjectSchema = {
  // The order of Bedrock's own messages: max_tokens is reported before anthropic_version.
  required: ["messages", "max_tokens", "anthropic_version"],
  properties: {
    // Any version string: the Anthropic SDKs move their own API version header (e.g. 2026-10-21) here.
    anthropic_version: { type: "string" },
    anthropic_beta: { type: "array" },
    max_tokens: { type: "integer", min: 1 },
    messages: { type: "array" },
    system: { type: ["string", "array"] },
    temperature: { type: "number", min: 0, max: 1 },
    top_p: { type: "number", min: 0, max: 1 },
    top_k: { type: "integer", min: 0 },
    stop_sequences: { type: "array" },
    tools: { type: "array" },
    tool_choice: { type: "object" },
    thinking: { type: "object" },
    metadata: { type: "object" },
    output_config: { type: "object" },
    context_management: { type: "object" },
  },
};

// Bedrock also passes anthropic_beta on, where Converse callers put it for Claude.
const PASS_THROUGH = [...PASS_THROUGH_FIELDS, "anthropic_beta"];

// Bedrock reports this first whenever a Messages body (one with `messages`) fails its schema: the schema
// is a choice between the Messages API and the legacy text-completion body, which must not have `messages`.
const NOT_TEXT_COMPLETION = '#: subject must not be valid against schema {"required":["messages"]}';

export function anthropicToConverse(body: unknown): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const input = anthropicRequestToConverse(body, errors, { passThrough: PASS_THROUGH });
  stringList(body.anthropic_beta, "#/anthropic_beta", errors);
  errors.throwIfAny(body.messages !== undefined ? [NOT_TEXT_COMPLETION] : []);
  checkClaudeMessages(body.messages as unknown[]);
  return input;
}

/**
 * What Claude itself refuses in a body that passed Bedrock's schema; Bedrock hands the model's own words back
 * as a ValidationException (as in "messages: text content blocks must be non-empty", quoted from the real
 * service in aws-samples/generative-ai-use-cases#1685).
 */
function checkClaudeMessages(messages: unknown[]): void {
  if (messages.length === 0) throw validationError("messages: at least one message is required");
  // The last message may be the assistant's prefill, whose rules differ (not checked here).
  for (const [i, message] of messages.entries()) {
    if (i === messages.length - 1 && isObject(message) && message.role === "assistant") break;
    const content = isObject(message) ? message.content : undefined;
    const texts = typeof content === "string" ? [content] : Array.isArray(content) ? content.flatMap((b) => (isObject(b) && b.type === "text" && typeof b.text === "string" ? [b.text] : [])) : [];
    for (const text of texts) {
      if (text === "") throw validationError("messages: text content blocks must be non-empty");
      if (text.trim() === "") throw validationError("messages: text content blocks must contain non-whitespace text");
    }
  }
}
