// Rules the service enforces that the model does not state (DIGEST §4.5), worded as Bedrock words them
// where a recording or public report shows the real message. Paths here are 0-based, as in Bedrock's
// own messages (`messages.1.content.0`).
import type { ContentBlock, GuardrailConfiguration, Message, ToolConfiguration, ToolResultBlock } from "../core/shapes.generated.js";
import { validationError } from "../core/errors.js";
import { isObject } from "../core/json.js";
import type { SystemContentBlock } from "../core/shapes.generated.js";
import { checkResponseFieldPaths } from "../formats/converse/pick-response-fields.js";

export interface Conversation {
  messages?: Message[];
  toolConfig?: ToolConfiguration;
  guardrailConfig?: GuardrailConfiguration;
  system?: SystemContentBlock[];
  additionalModelResponseFieldPaths?: string[];
}

const NOTHING_TO_CACHE = "There is nothing available to cache. Please remove the invalid cache point and try again.";

// Alphanumerics, single spaces, hyphens, parentheses and square brackets (the DocumentBlock.name documentation;
// the real service rejects tabs, accents, apostrophes, `#`, `&`, commas and double spaces). Underscores are not
// in the documented list, but the service accepts them (checked live by the same report that recorded the
// rejections, vercel/ai#20366), and SDKs send them: the Vercel AI SDK turns `my_report.pdf` into `my_report`.
const DOCUMENT_NAME = /^[A-Za-z0-9_\-()[\] ]+$/;
// Both as the real service words them in public reports (aws-samples/generative-ai-use-cases#1685, with
// hundreds of occurrences each): names are unique across the whole request, every turn included, since a
// Converse caller replays its history.
const MAX_DOCUMENTS = 5;
const TOO_MANY_DOCUMENTS = `You can't include more than ${MAX_DOCUMENTS} documents in a request.`;
const DUPLICATE_DOCUMENT_NAMES = "Messages can't contain duplicate document names. Rename the document and retry your request.";
const DOCUMENT_NAME_MESSAGE =
  "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.";

/** Throws a ValidationException for the first rule the conversation breaks. */
export function validateConversation(conv: Conversation): void {
  validateGuardrailPair(conv.guardrailConfig);
  checkResponseFieldPaths(conv.additionalModelResponseFieldPaths);
  validateTools(conv.toolConfig);
  validateSystemCachePoints(conv);
  const messages = conv.messages;
  if (!messages || messages.length === 0) {
    throw validationError("The messages field is empty. Add at least one message to the messages field and try again.");
  }
  if (messages[0].role !== "user") {
    throw validationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  }
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role) {
      throw validationError(
        "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
      );
    }
  }
  const toolNames = new Set(conv.toolConfig?.tools.flatMap((t) => ("toolSpec" in t ? [t.toolSpec.name] : [])) ?? []);
  messages.forEach((message, i) => validateMessage(message, i, messages[i - 1], conv.toolConfig !== undefined, toolNames));
  validateDocumentNames(messages);
}

/** At most five documents in a request, each under its own name (each name's own form is checked per block). */
function validateDocumentNames(messages: readonly Message[]): void {
  let names: Set<string> | undefined;
  let count = 0;
  for (const message of messages) {
    for (const block of message.content) {
      if (!("document" in block)) continue;
      if (++count > MAX_DOCUMENTS) throw validationError(TOO_MANY_DOCUMENTS);
      names ??= new Set();
      if (names.has(block.document.name)) throw validationError(DUPLICATE_DOCUMENT_NAMES);
      names.add(block.document.name);
    }
  }
}

function validateMessage(message: Message, i: number, previous: Message | undefined, hasToolConfig: boolean, toolNames: ReadonlySet<string>): void {
  const at = `messages.${i}`;
  if (message.content.length === 0) {
    throw validationError(`The content field in the Message object at ${at} is empty. Add a ContentBlock object to the content field and try again.`);
  }
  let hasText = false;
  let hasDocument = false;
  const toolUseIds = new Set<string>();
  const answeredIds = new Set<string>();
  let resultCount = 0;
  message.content.forEach((block: ContentBlock, j) => {
    const blockAt = `${at}.content.${j}`;
    if ("text" in block) {
      if (block.text.trim() === "") {
        throw validationError(`The text field in the ContentBlock object at ${blockAt} is blank. Add text to the text field, and try again.`);
      }
      hasText = true;
    } else if ("document" in block) {
      hasDocument = true;
      if (!DOCUMENT_NAME.test(block.document.name) || block.document.name.includes("  ")) {
        throw validationError(DOCUMENT_NAME_MESSAGE);
      }
    } else if ("toolUse" in block) {
      if (message.role === "user") {
        throw validationError("User messages cannot contain toolUse content. Please remove the toolUse content and try again.");
      }
      if (!hasToolConfig) throw validationError("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
      if (!isObject(block.toolUse.input)) {
        throw validationError(`The format of the value at ${blockAt}.toolUse.input is invalid. Provide a json object for the field and try again.`);
      }
      if (toolUseIds.has(block.toolUse.toolUseId)) {
        throw validationError(`The toolUse blocks at ${at}.content contain duplicate Ids: ${block.toolUse.toolUseId}`);
      }
      toolUseIds.add(block.toolUse.toolUseId);
    } else if ("toolResult" in block) {
      if (message.role === "assistant") {
        throw validationError("Assistant messages cannot contain toolResult content. Please remove the toolResult content and try again.");
      }
      if (!hasToolConfig) throw validationError("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
      validateToolResult(block.toolResult, blockAt);
      answeredIds.add(block.toolResult.toolUseId);
      resultCount++;
    } else if ("reasoningContent" in block && message.role === "user") {
      throw validationError("User messages cannot contain reasoning content. Please remove the reasoning content and try again.");
    } else if ("toolAddition" in block || "toolRemoval" in block) {
      validateToolChange(block, message.role, blockAt, hasToolConfig ? toolNames : undefined);
    }
  });
  if (hasDocument && !hasText) throw validationError("A text block must be included when using documents.");
  validateToolResultsAnswer(message, previous, at, answeredIds, resultCount);
  // Recorded for an assistant message (amazon-bedrock-cache-point-only-assistant-error.json); a message of
  // any role holding only cache points marks nothing of its own.
  if (message.content.every((b) => "cachePoint" in b)) throw validationError(NOTHING_TO_CACHE);
}

/**
 * The toolResults of a user message answer the toolUses of the assistant message before it, with the real
 * service's two messages (quoted in public bug reports): more results than uses, or uses left without a
 * result (ids in the order of the toolUse blocks). A result naming an id the previous turn never used
 * necessarily shows up as one of these.
 */
function validateToolResultsAnswer(
  message: Message, previous: Message | undefined, at: string, answeredIds: Set<string>, resultCount: number,
): void {
  if (message.role !== "user") return;
  const uses = previous?.role === "assistant" ? previous.content.filter((b) => "toolUse" in b) : [];
  if (resultCount > uses.length) {
    throw validationError(`The number of toolResult blocks at ${at}.content exceeds the number of toolUse blocks of previous turn.`);
  }
  const missing = uses.flatMap((b) => ("toolUse" in b && !answeredIds.has(b.toolUse.toolUseId) ? [b.toolUse.toolUseId] : []));
  if (missing.length) throw validationError(`Expected toolResult blocks at ${at}.content for the following Ids: ${missing.join(", ")}`);
}

// Wording of the real service's checks as quoted in public bug reports (toolResult json items and toolUse
// inputs that are not objects, error results without content, non-object tool schemas); their paths are
// 0-based like the rules above.
function validateToolResult(result: ToolResultBlock, blockAt: string): void {
  if (result.status === "error" && result.content.length === 0) {
    throw validationError(`The content field at ${blockAt}.toolResult cannot be empty when status value is error.`);
  }
  result.content.forEach((item, k) => {
    if ("json" in item && !isObject(item.json)) {
      throw validationError(
        `The format of the value at ${blockAt}.toolResult.content.${k}.json is invalid. Provide a json object for the field and try again.`,
      );
    }
  });
}

/**
 * The identifier and the version of a guardrail go together, in Converse as in InvokeModel (public report
 * strands-agents/harness-sdk#4223: "guardrail_id and guardrail_version are required together by Bedrock's
 * Converse API"). Both were required members of GuardrailConfiguration before the model relaxed them, so
 * the front end words it as its required-member check.
 */
function validateGuardrailPair(config: GuardrailConfiguration | undefined): void {
  if (!config) return;
  const missing = config.guardrailIdentifier === undefined ? "guardrailIdentifier" : config.guardrailVersion === undefined ? "guardrailVersion" : undefined;
  if (missing) {
    throw validationError(`1 validation error detected: Value null at 'guardrailConfig.${missing}' failed to satisfy constraint: Member must not be null`);
  }
}

/**
 * toolAddition / toolRemoval belong in system-role messages (their documentation: "Use within a system role
 * message") and name a tool "declared in the top-level tool configuration" (ToolReference.name). Worded as
 * Bedrock words the same checks for toolUse and reasoning content (recorded and reported messages).
 */
function validateToolChange(block: ContentBlock, role: string, blockAt: string, declared: ReadonlySet<string> | undefined): void {
  const kind = "toolAddition" in block ? "toolAddition" : "toolRemoval";
  if (role !== "system") {
    const who = role === "user" ? "User" : "Assistant";
    throw validationError(`${who} messages cannot contain ${kind} content. Please remove the ${kind} content and try again.`);
  }
  if (!declared) throw validationError(`The toolConfig field must be defined when using ${kind} content blocks.`);
  const ref = "toolAddition" in block ? block.toolAddition.tool : "toolRemoval" in block ? block.toolRemoval.tool : undefined;
  if (ref?.name !== undefined && ref.serverName === undefined && !declared.has(ref.name)) {
    throw validationError(
      `The tool ${ref.name} in ${blockAt}.${kind} isn't defined in toolConfig.tools. Add the tool to toolConfig.tools and try again.`,
    );
  }
}

/** A system cache point needs something cacheable before it: tools (which come first), or system content. */
function validateSystemCachePoints(conv: Conversation): void {
  let cacheable = conv.toolConfig?.tools.some((t) => !("cachePoint" in t)) ?? false;
  for (const block of conv.system ?? []) {
    if (!("cachePoint" in block)) cacheable = true;
    else if (!cacheable) throw validationError(NOTHING_TO_CACHE);
  }
}

function validateTools(toolConfig: ToolConfiguration | undefined): void {
  if (!toolConfig) return;
  const seen = new Set<string>();
  for (const [i, tool] of toolConfig.tools.entries()) {
    if (!("toolSpec" in tool)) continue;
    const schema = tool.toolSpec.inputSchema;
    // "The top level schema type must be object" (ToolInputSchema docs). A schema without a root `type` is
    // refused the same way (public reports earendil-works/pi#8279 and d-kuro/kirocc#92: `{}` and a root
    // `oneOf` without `type` both got this message).
    const type = "json" in schema && isObject(schema.json) ? schema.json.type : undefined;
    if (type !== "object") {
      throw validationError(`The value at toolConfig.tools.${i}.toolSpec.inputSchema.json.type must be one of the following: object.`);
    }
    const name = tool.toolSpec.name;
    if (seen.has(name)) {
      throw validationError(`The toolConfig field contains duplicate tool names: ${name}. Give each tool a unique name and try again.`);
    }
    seen.add(name);
  }
  const choice = toolConfig.toolChoice;
  if (choice && "tool" in choice && !seen.has(choice.tool.name)) {
    throw validationError(
      `The tool ${choice.tool.name} in toolConfig.toolChoice isn't defined in toolConfig.tools. Add the tool to toolConfig.tools or choose a defined tool, and try again.`,
    );
  }
}
