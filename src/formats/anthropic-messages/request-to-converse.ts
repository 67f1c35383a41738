// A Messages API request → Converse input (the anthropic family's InvokeModel body, an Anthropic front
// door's request). Claude-only parameters travel in additionalModelRequestFields, exactly where Converse
// callers put them for Claude, so a Bedrock or Anthropic backend hands them on unchanged. Top-level keys
// are the caller's to check (Bedrock's body wants anthropic_version, the Messages API wants model);
// everything below them is read here, every problem reported with its JSON pointer.
import type { ConverseInput } from "../../core/model.js";
import type {
  InferenceConfiguration, JsonValue, Message, OutputConfig, SystemContentBlock, Tool, ToolChoice, ToolConfiguration,
} from "../../core/shapes.generated.js";
import { checkObject, checkValue, isObject, readMessages, type IssueList, type JsonObject, type ObjectSchema } from "../shared/check-json.js";
import { BlockReader, cachePoint } from "./blocks-to-converse.js";

/**
 * Passed through to the model as they are. `metadata` is not: it only tags the request for Anthropic's
 * abuse checks, and other backends would refuse it. `output_config` is read (see outputConfig below): its
 * keys other than `format` and `effort` pass through.
 */
export const PASS_THROUGH_FIELDS = ["top_k", "thinking", "context_management"] as const;

// Claude's structured output: `output_config.format` `{type: "json_schema", schema: {...}}`.
const FORMAT_SCHEMA: ObjectSchema = {
  required: ["type", "schema"],
  properties: { type: { type: "string", enum: ["json_schema"] }, schema: { type: "object" } },
  additional: true,
};

export interface AnthropicRequestToConverseOptions {
  /** Top-level fields copied into additionalModelRequestFields, in this order; default PASS_THROUGH_FIELDS. */
  passThrough?: readonly string[];
  /**
   * The Messages API's own rules (an Anthropic front door) rather than Bedrock's Claude body schema: messages may
   * have the `system` role, and a URL source is refused in plain words rather than as the schema's missing keys.
   */
  messagesApi?: boolean;
}

const MESSAGE_SCHEMA: ObjectSchema = {
  required: ["role", "content"],
  properties: { role: { type: "string", enum: ["user", "assistant"] }, content: { type: ["string", "array"] } },
};

// `system` too: a mid-conversation system message (the Messages API takes one right after a user turn, to add
// instructions without touching the cached prefix; Claude Code sends them). Converse has the same role.
const MESSAGE_WITH_SYSTEM_SCHEMA: ObjectSchema = {
  ...MESSAGE_SCHEMA,
  properties: { ...MESSAGE_SCHEMA.properties, role: { type: "string", enum: ["user", "assistant", "system"] } },
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

/**
 * A request body → Converse input. The result means something only when no problem was added to `errors`.
 * Reads messages, system, tools and tool_choice, stop_sequences, max_tokens, temperature and top_p.
 */
export function anthropicRequestToConverse(body: JsonObject, errors: IssueList, opts: AnthropicRequestToConverseOptions = {}): ConverseInput {
  const blocks = new BlockReader(errors, { explainUrlSources: opts.messagesApi === true });
  const messages: Message[] = mergeConsecutiveTurns(readMessages(body.messages, opts.messagesApi ? MESSAGE_WITH_SYSTEM_SCHEMA : MESSAGE_SCHEMA, errors, (m, pointer) => {
    const content = blocks.content(m.content, `${pointer}/content`);
    if (m.role === "system" && content.some((b) => !("text" in b) && !("cachePoint" in b))) {
      errors.add(`${pointer}/content: a system message holds only text blocks`);
    }
    return { role: m.role as Message["role"], content };
  }));
  const system = systemBlocks(body.system, errors);
  const toolConfig = tools(body, errors, messages);
  const stops = stringList(body.stop_sequences, "#/stop_sequences", errors);

  const inferenceConfig: InferenceConfiguration = { maxTokens: body.max_tokens as number };
  if (body.temperature !== undefined) inferenceConfig.temperature = body.temperature as number;
  if (body.top_p !== undefined) inferenceConfig.topP = body.top_p as number;
  if (stops.length) inferenceConfig.stopSequences = stops;

  const input: ConverseInput = { messages, inferenceConfig };
  if (system.length) input.system = system;
  if (toolConfig) input.toolConfig = toolConfig;
  const extra: Record<string, JsonValue> = {};
  for (const key of opts.passThrough ?? PASS_THROUGH_FIELDS) if (body[key] !== undefined) extra[key] = body[key] as JsonValue;
  const output = outputConfig(body.output_config, errors);
  if (output.config) input.outputConfig = output.config;
  if (output.rest) extra.output_config = output.rest as JsonValue;
  if (Object.keys(extra).length) input.additionalModelRequestFields = extra;
  return input;
}

/**
 * `output_config` → Converse's outputConfig, where Bedrock's Converse carries the same two settings for Claude:
 * `format` (structured output; Converse takes the schema as JSON text) and `effort`. So every backend sees
 * structured output the one way it understands it (an Anthropic upstream gets `output_config.format` back, an
 * OpenAI-compatible one `response_format`, echo answers to the schema). Other keys pass through unchanged.
 */
function outputConfig(value: unknown, errors: IssueList): { config?: OutputConfig; rest?: JsonObject } {
  if (!isObject(value)) return {};
  const { format, effort, ...others } = value;
  const config: OutputConfig = {};
  if (format !== undefined && format !== null) {
    const e = isObject(format) ? checkObject(format, FORMAT_SCHEMA, "#/output_config/format") : [checkValue(format, { type: "object" }, "#/output_config/format")];
    if (e.length) errors.add(...e);
    else {
      const f = format as { schema: JsonObject; name?: unknown; description?: unknown };
      config.textFormat = {
        type: "json_schema",
        structure: { jsonSchema: { schema: JSON.stringify(f.schema), ...(typeof f.name === "string" && { name: f.name }), ...(typeof f.description === "string" && { description: f.description }) } },
      };
    }
  }
  if (effort !== undefined && effort !== null) {
    const e = checkValue(effort, { type: "string" }, "#/output_config/effort");
    if (e) errors.add(e);
    else config.effort = effort as string;
  }
  return {
    ...(Object.keys(config).length > 0 && { config }),
    ...(Object.keys(others).length > 0 && { rest: others as JsonObject }),
  };
}

/**
 * The Messages API combines consecutive turns of one role into a single turn (its documentation; agents send a
 * tool_result message and then a separate user text). Converse wants the roles to alternate, so they are
 * joined here, in order. A turn with no content is left alone, for validation to name.
 */
function mergeConsecutiveTurns(messages: Message[]): Message[] {
  const out: Message[] = [];
  for (const m of messages) {
    const last = out[out.length - 1];
    if (last && last.role === m.role && last.content.length > 0 && m.content.length > 0) last.content = [...last.content, ...m.content];
    else out.push(m);
  }
  return out;
}

function systemBlocks(system: unknown, errors: IssueList): SystemContentBlock[] {
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
function tools(body: JsonObject, errors: IssueList, messages: Message[]): ToolConfiguration | undefined {
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

function choice(tc: unknown, errors: IssueList): ToolChoice | undefined {
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

export function stringList(v: unknown, pointer: string, errors: IssueList): string[] {
  if (!Array.isArray(v)) return [];
  v.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `${pointer}/${i}`)));
  return v.filter((s): s is string => typeof s === "string");
}
