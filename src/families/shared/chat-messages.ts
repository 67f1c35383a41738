// Chat-completions style messages and tools (OpenAI-style bodies, Mistral's chat format) read into a
// Converse conversation, every problem reported with its JSON pointer as Bedrock's validator does.
import type { ContentBlock, JsonValue, ToolConfiguration } from "../../core/shapes.generated.js";
import { checkObject, checkValue, type ErrorList, isObject, type JsonObject, type ObjectSchema } from "../native-body.js";
import { Conversation, imageBlock } from "./conversation.js";

const ROLES = ["system", "developer", "user", "assistant", "tool"] as const;

const MESSAGE_SCHEMA: ObjectSchema = {
  required: ["role"],
  additional: true,
  properties: {
    role: { type: "string", enum: ROLES },
    content: { type: ["string", "array"] },
    tool_calls: { type: "array" },
    tool_call_id: { type: "string" },
    name: { type: "string" },
  },
};

const TOOL_CALL_SCHEMA: ObjectSchema = {
  required: ["id", "function"],
  additional: true,
  properties: { id: { type: "string" }, type: { type: "string", enum: ["function"] }, function: { type: "object" } },
};

const FUNCTION_SCHEMA: ObjectSchema = {
  required: ["name"],
  additional: true,
  properties: { name: { type: "string" }, arguments: { type: ["string", "object"] } },
};

const DATA_URL = /^data:image\/[a-z+.-]+;base64,/;

/** String content, or an array of `{type:"text"}` / `{type:"image_url"}` parts. */
function contentBlocks(content: unknown, pointer: string, errors: ErrorList): ContentBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  const blocks: ContentBlock[] = [];
  content.forEach((part, i) => {
    const p = `${pointer}/${i}`;
    if (!isObject(part)) return errors.add(checkValue(part, { type: "object" }, p));
    if (part.type === "text" && typeof part.text === "string") blocks.push({ text: part.text });
    else if (part.type === "image_url" && isObject(part.image_url) && typeof part.image_url.url === "string") {
      const url = part.image_url.url;
      const m = DATA_URL.exec(url);
      if (m) blocks.push(imageBlock(url.slice(m[0].length)));
      else errors.add(`${p}/image_url/url: only base64 data URLs are supported`);
    } else errors.add(`${p}: expected a text or image_url content part`);
  });
  return blocks;
}

/** Plain text of a content value (system prompts, tool results). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("");
}

function toolArguments(args: unknown, pointer: string, errors: ErrorList): JsonValue {
  if (args === undefined || args === "") return {};
  if (isObject(args)) return args as JsonValue;
  try {
    return JSON.parse(args as string) as JsonValue;
  } catch {
    errors.add(`${pointer}: the arguments are not valid JSON`);
    return {};
  }
}

export function readChatMessages(messages: unknown[], errors: ErrorList): Conversation {
  const conversation = new Conversation();
  messages.forEach((m, i) => {
    const pointer = `#/messages/${i}`;
    if (!isObject(m)) return errors.add(checkValue(m, { type: "object" }, pointer));
    // Assistant turns that only call tools carry `content: null`.
    const e = checkObject(m.content === null ? { ...m, content: undefined } : m, MESSAGE_SCHEMA, pointer);
    if (e.length) return errors.add(...e);
    switch (m.role) {
      case "system":
      case "developer":
        return conversation.addSystem(contentText(m.content));
      case "user":
        return conversation.add("user", contentBlocks(m.content, `${pointer}/content`, errors));
      case "tool":
        if (typeof m.tool_call_id !== "string") return errors.add(`${pointer}: required key [tool_call_id] not found`);
        return conversation.add("user", [{ toolResult: { toolUseId: m.tool_call_id, content: [{ text: contentText(m.content) }] } }]);
      case "assistant":
        return conversation.add("assistant", [
          ...contentBlocks(m.content, `${pointer}/content`, errors),
          ...toolUses(m, pointer, errors),
        ]);
    }
  });
  return conversation;
}

function toolUses(m: JsonObject, pointer: string, errors: ErrorList): ContentBlock[] {
  if (!Array.isArray(m.tool_calls)) return [];
  const blocks: ContentBlock[] = [];
  m.tool_calls.forEach((call, j) => {
    const p = `${pointer}/tool_calls/${j}`;
    if (!isObject(call)) return errors.add(checkValue(call, { type: "object" }, p));
    const e = checkObject(call, TOOL_CALL_SCHEMA, p);
    const fn = isObject(call.function) ? call.function : undefined;
    if (fn) e.push(...checkObject(fn, FUNCTION_SCHEMA, `${p}/function`));
    if (e.length || !fn) return errors.add(...e);
    const input = toolArguments(fn.arguments, `${p}/function/arguments`, errors);
    blocks.push({ toolUse: { toolUseId: call.id as string, name: fn.name as string, input } });
  });
  return blocks;
}

const TOOL_SCHEMA: ObjectSchema = {
  required: ["function"],
  additional: true,
  properties: { type: { type: "string", enum: ["function"] }, function: { type: "object" } },
};

const TOOL_FUNCTION_SCHEMA: ObjectSchema = {
  required: ["name"],
  additional: true,
  properties: { name: { type: "string" }, description: { type: "string" }, parameters: { type: "object" } },
};

/**
 * `tools` and `tool_choice` as Converse's toolConfig. "none" drops the tools (Converse has no such
 * choice); "any" (Mistral) and "required" (OpenAI) both mean some tool must be called.
 */
export function readChatTools(tools: unknown, choice: unknown, errors: ErrorList): ToolConfiguration | undefined {
  if (!Array.isArray(tools) || tools.length === 0 || choice === "none") return undefined;
  const config: ToolConfiguration = { tools: [] };
  tools.forEach((t, i) => {
    const p = `#/tools/${i}`;
    if (!isObject(t)) return errors.add(checkValue(t, { type: "object" }, p));
    const e = checkObject(t, TOOL_SCHEMA, p);
    const fn = isObject(t.function) ? t.function : undefined;
    if (fn) e.push(...checkObject(fn, TOOL_FUNCTION_SCHEMA, `${p}/function`));
    if (e.length || !fn) return errors.add(...e);
    config.tools.push({
      toolSpec: {
        name: fn.name as string,
        ...(typeof fn.description === "string" && { description: fn.description }),
        inputSchema: { json: (fn.parameters ?? { type: "object", properties: {} }) as JsonValue },
      },
    });
  });
  if (choice === "any" || choice === "required") config.toolChoice = { any: {} };
  else if (choice === "auto") config.toolChoice = { auto: {} };
  else if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === "string") {
    config.toolChoice = { tool: { name: choice.function.name } };
  } else if (choice !== undefined) errors.add(`#/tool_choice: ${JSON.stringify(choice)} is not a valid tool choice`);
  return config;
}

export interface ChatToolCall { id: string; type: "function"; function: { name: string; arguments: string } }

export const chatToolCall = (id: string, name: string, args: string): ChatToolCall =>
  ({ id, type: "function", function: { name, arguments: args } });
