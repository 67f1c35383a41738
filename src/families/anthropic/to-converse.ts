// A Claude Messages body (Bedrock flavour: `anthropic_version: bedrock-2023-05-31`, no `model`, no `stream`)
// → Converse input. Claude-only parameters travel in additionalModelRequestFields, exactly where Converse
// callers put them for Claude, so a Bedrock or Anthropic backend hands them on unchanged.
import type { ConverseInput } from "../../core/model.js";
import type {
  InferenceConfiguration, JsonValue, Message, SystemContentBlock, Tool, ToolChoice, ToolConfiguration,
} from "../../core/shapes.generated.js";
import { checkObject, checkValue, ErrorList, isObject, malformed, readMessages, type JsonObject, type ObjectSchema } from "../native-body.js";
import { BlockConverter, cachePoint } from "./convert-blocks.js";

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

// Passed through to the model as they are, where Converse callers put them for Claude
// (additionalModelRequestFields). `metadata` is not: it only tags the request for Anthropic's abuse checks,
// and other backends would refuse it.
const PASS_THROUGH = ["top_k", "thinking", "anthropic_beta", "output_config", "context_management"] as const;

const MESSAGE_SCHEMA: ObjectSchema = {
  required: ["role", "content"],
  properties: { role: { type: "string", enum: ["user", "assistant"] }, content: { type: ["string", "array"] } },
};

const TOOL_SCHEMA: ObjectSchema = {
  required: ["name"],
  properties: { name: { type: "string" }, description: { type: "string" }, input_schema: { type: "object" } },
  additional: true,
};

const TOOL_CHOICE_SCHEMA: ObjectSchema = {
  required: ["type"],
  properties: { type: { type: "string", enum: ["auto", "any", "tool", "none"] }, name: { type: "string" } },
  additional: true,
};

// Bedrock reports this first whenever a Messages body (one with `messages`) fails its schema: the schema
// is a choice between the Messages API and the legacy text-completion body, which must not have `messages`.
const NOT_TEXT_COMPLETION = '#: subject must not be valid against schema {"required":["messages"]}';

export function anthropicToConverse(body: unknown): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const blocks = new BlockConverter(errors);

  const messages: Message[] = readMessages(body.messages, MESSAGE_SCHEMA, errors, (m, pointer) => ({
    role: m.role as Message["role"],
    content: blocks.content(m.content, `${pointer}/content`),
  }));
  const system = systemBlocks(body.system, errors);
  const toolConfig = tools(body, errors, messages);
  const stops = stringList(body.stop_sequences, "#/stop_sequences", errors);
  stringList(body.anthropic_beta, "#/anthropic_beta", errors);
  errors.throwIfAny(body.messages !== undefined ? [NOT_TEXT_COMPLETION] : []);

  const inferenceConfig: InferenceConfiguration = { maxTokens: body.max_tokens as number };
  if (body.temperature !== undefined) inferenceConfig.temperature = body.temperature as number;
  if (body.top_p !== undefined) inferenceConfig.topP = body.top_p as number;
  if (stops.length) inferenceConfig.stopSequences = stops;

  const input: ConverseInput = { messages, inferenceConfig };
  if (system.length) input.system = system;
  if (toolConfig) input.toolConfig = toolConfig;
  const extra: Record<string, JsonValue> = {};
  for (const key of PASS_THROUGH) if (body[key] !== undefined) extra[key] = body[key] as JsonValue;
  if (Object.keys(extra).length) input.additionalModelRequestFields = extra;
  return input;
}

function systemBlocks(system: unknown, errors: ErrorList): SystemContentBlock[] {
  if (typeof system === "string") return system ? [{ text: system }] : [];
  if (!Array.isArray(system)) return [];
  const out: SystemContentBlock[] = [];
  system.forEach((b, i) => {
    const pointer = `#/system/${i}`;
    if (!isObject(b)) return errors.add(checkValue(b, { type: "object" }, pointer));
    const e = checkObject(b, { required: ["type", "text"], properties: { type: { type: "string", enum: ["text"] }, text: { type: "string" } }, additional: true }, pointer);
    if (e.length) return errors.add(...e);
    out.push({ text: b.text as string });
    if (isObject(b.cache_control)) out.push(cachePoint(b.cache_control));
  });
  return out;
}

// Converse has no "none" tool choice. A model cannot call tools it is not shown, so "none" drops the tools,
// unless the conversation already holds tool blocks (which Converse backends only accept beside a
// toolConfig); then the tools stay, with the model free to choose.
function tools(body: JsonObject, errors: ErrorList, messages: Message[]): ToolConfiguration | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0) return undefined;
  const list: Tool[] = [];
  body.tools.forEach((t, i) => {
    const pointer = `#/tools/${i}`;
    if (!isObject(t)) return errors.add(checkValue(t, { type: "object" }, pointer));
    const e = checkObject(t, TOOL_SCHEMA, pointer);
    if (e.length) return errors.add(...e);
    // Anthropic-defined tools (bash, text editor…) have no input_schema; an open object stands in for it.
    const schema = (t.input_schema ?? { type: "object" }) as JsonValue;
    list.push({
      toolSpec: {
        name: t.name as string,
        ...(typeof t.description === "string" && { description: t.description }),
        inputSchema: { json: schema },
      },
    });
    if (isObject(t.cache_control)) list.push({ cachePoint: cachePoint(t.cache_control).cachePoint });
  });
  const toolChoice = choice(body.tool_choice, errors);
  const none = isObject(body.tool_choice) && body.tool_choice.type === "none";
  if (none && !messages.some((m) => m.content.some((b) => "toolUse" in b || "toolResult" in b))) return undefined;
  return { tools: list, ...(toolChoice && { toolChoice }) };
}

function choice(tc: unknown, errors: ErrorList): ToolChoice | undefined {
  if (!isObject(tc)) return undefined;
  const e = checkObject(tc, TOOL_CHOICE_SCHEMA, "#/tool_choice");
  if (e.length) return void errors.add(...e);
  switch (tc.type) {
    case "auto": return { auto: {} };
    case "any": return { any: {} };
    case "tool":
      if (typeof tc.name !== "string") return void errors.add("#/tool_choice: required key [name] not found");
      return { tool: { name: tc.name } };
    default: return undefined;
  }
}

function stringList(v: unknown, pointer: string, errors: ErrorList): string[] {
  if (!Array.isArray(v)) return [];
  v.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `${pointer}/${i}`)));
  return v.filter((s): s is string => typeof s === "string");
}
