// A Chat Completions request → Converse input (the openai family's InvokeModel body, an OpenAI front
// door's request), and the messages and tools readers Mistral's chat format shares. Every problem is
// reported with its JSON pointer, in the words of Bedrock's validator; the caller decides how to answer.
// As the Bedrock docs map it: developer/system messages → system, max_completion_tokens (or the older
// max_tokens) → maxTokens, stop → stopSequences, temperature, top_p; every other field →
// additionalModelRequestFields.
import type { ConverseInput } from "../../core/model.js";
import type { AudioFormat, ContentBlock, DocumentFormat, JsonValue, Message, ToolConfiguration } from "../../core/shapes.generated.js";
import { Conversation, imageBlock, stopList } from "../converse/conversation.js";
import { checkObject, checkValue, type IssueList, isObject, type JsonObject, type ObjectSchema } from "../shared/check-json.js";

const REQUEST_SCHEMA: ObjectSchema = {
  required: ["messages"],
  additional: true,
  properties: {
    model: { type: "string" },
    messages: { type: "array" },
    max_completion_tokens: { type: "integer", min: 1 },
    max_tokens: { type: "integer", min: 1 },
    temperature: { type: "number", min: 0, max: 2 },
    top_p: { type: "number", min: 0, max: 1 },
    stop: { type: ["string", "array"] },
    tools: { type: "array" },
    tool_choice: { type: ["string", "object"] },
    stream: { type: "boolean" },
    stream_options: { type: "object" },
  },
};

// Fields the translation consumes; the operation, not the body, decides streaming.
const MAPPED = new Set(Object.keys(REQUEST_SCHEMA.properties));

/**
 * A whole request body → Converse input. The result means something only when no problem was added to
 * `errors`. `model` is checked for type only: which model it names is the caller's business.
 */
export function chatRequestToConverse(body: JsonObject, errors: IssueList): ConverseInput {
  errors.add(...checkObject(body, REQUEST_SCHEMA));
  const stops = stopList(body.stop);
  if (Array.isArray(body.stop)) body.stop.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/stop/${i}`)));
  const conversation = readChatMessages(Array.isArray(body.messages) ? body.messages : [], errors);
  const history = hasToolBlocks(conversation.messages);
  // "none" drops the tools, unless the history holds tool blocks (toolsOfHistory says why).
  const choice = body.tool_choice === "none" && history ? "auto" : body.tool_choice;
  const toolConfig = readChatTools(body.tools, choice, errors) ?? (history ? toolsOfHistory(conversation.messages) : undefined);
  const input = conversation.toInput({
    maxTokens: (body.max_completion_tokens ?? body.max_tokens) as number | undefined,
    temperature: body.temperature as number | undefined,
    topP: body.top_p as number | undefined,
    stopSequences: stops,
  });
  if (toolConfig) input.toolConfig = toolConfig;
  const extra = Object.fromEntries(Object.entries(body).filter(([k]) => !MAPPED.has(k))) as Record<string, JsonValue>;
  if (Object.keys(extra).length) input.additionalModelRequestFields = extra;
  return input;
}

const hasToolBlocks = (messages: readonly Message[]): boolean => messages.some((m) => m.content.some((b) => "toolUse" in b || "toolResult" in b));

/**
 * Converse accepts tool calls and results in the history only beside a toolConfig; OpenAI needs none (a caller
 * that wants a final text answer after its tools ran sends `tool_choice: "none"`, or no tools at all). "none"
 * then keeps the tools with the model free to choose (Converse has no "none"), and a history whose tools were
 * not sent declares them by the names it used, with an open schema.
 */
function toolsOfHistory(messages: readonly Message[]): ToolConfiguration | undefined {
  const names = new Set<string>();
  for (const m of messages) for (const b of m.content) if ("toolUse" in b) names.add(b.toolUse.name);
  if (names.size === 0) return undefined;
  return { tools: [...names].map((name) => ({ toolSpec: { name, inputSchema: { json: { type: "object", properties: {} } } } })) };
}

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
const FILE_DATA_URL = /^data:([a-z]+\/[a-z0-9+.-]+);base64,/i;

// A file part's media type (or its name's extension) → Converse's document format.
const DOCUMENT_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  "application/pdf": "pdf", "text/csv": "csv", "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "text/html": "html", "text/plain": "txt", "text/markdown": "md",
};
const DOCUMENT_EXTENSIONS = new Set<string>(Object.values(DOCUMENT_FORMATS));
const AUDIO_PART_FORMATS = new Set(["wav", "mp3"]);

/** A name Converse accepts (letters, digits, single spaces, hyphens, parentheses, brackets) from a file name. */
function documentName(filename: string | undefined, index: number): string {
  const stem = (filename ?? "").replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_\-()[\] ]+/g, " ").replace(/ {2,}/g, " ").trim();
  return stem || `document-${index + 1}`;
}

/** `{type:"file", file:{filename, file_data}}` → a document block (uploaded files, by file_id, are not kept here). */
function fileBlock(file: unknown, p: string, index: number, errors: IssueList): ContentBlock | undefined {
  if (!isObject(file)) return void errors.add(`${p}/file: expected an object`);
  if (typeof file.file_id === "string" && file.file_data === undefined) {
    return void errors.add(`${p}/file/file_id: uploaded files are not available here; send the file's content as file_data`);
  }
  const m = typeof file.file_data === "string" ? FILE_DATA_URL.exec(file.file_data) : null;
  if (!m) return void errors.add(`${p}/file/file_data: expected a base64 data URL`);
  const filename = typeof file.filename === "string" ? file.filename : undefined;
  const extension = filename?.split(".").pop()?.toLowerCase();
  const format = DOCUMENT_FORMATS[m[1].toLowerCase()] ?? (extension && DOCUMENT_EXTENSIONS.has(extension) ? extension as DocumentFormat : undefined);
  if (!format) return void errors.add(`${p}/file: unsupported file type ${m[1]}; send pdf, csv, doc, docx, xls, xlsx, html, txt or md`);
  return { document: { format, name: documentName(filename, index), source: { bytes: (file.file_data as string).slice(m[0].length) } } };
}

/** String content, or an array of `{type:"text"}` / `{type:"image_url"}` / `{type:"file"}` / `{type:"input_audio"}` parts. */
function contentBlocks(content: unknown, pointer: string, errors: IssueList): ContentBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  const blocks: ContentBlock[] = [];
  let files = 0;
  content.forEach((part, i) => {
    const p = `${pointer}/${i}`;
    if (!isObject(part)) return errors.add(checkValue(part, { type: "object" }, p));
    if (part.type === "text" && typeof part.text === "string") blocks.push({ text: part.text });
    else if (part.type === "image_url" && isObject(part.image_url) && typeof part.image_url.url === "string") {
      const url = part.image_url.url;
      const m = DATA_URL.exec(url);
      if (m) blocks.push(imageBlock(url.slice(m[0].length)));
      else errors.add(`${p}/image_url/url: only base64 data URLs are supported`);
    } else if (part.type === "file") {
      const block = fileBlock(part.file, p, files++, errors);
      if (block) blocks.push(block);
    } else if (part.type === "input_audio" && isObject(part.input_audio) && typeof part.input_audio.data === "string") {
      const format = part.input_audio.format;
      if (typeof format === "string" && AUDIO_PART_FORMATS.has(format)) blocks.push({ audio: { format: format as AudioFormat, source: { bytes: part.input_audio.data } } });
      else errors.add(`${p}/input_audio/format: expected wav or mp3`);
    } else errors.add(`${p}: expected a text, image_url, file or input_audio content part`);
  });
  return blocks;
}

/** Plain text of a content value (system prompts, tool results). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("");
}

function toolArguments(args: unknown, pointer: string, errors: IssueList): JsonValue {
  if (args === undefined || args === "") return {};
  if (isObject(args)) return args as JsonValue;
  try {
    return JSON.parse(args as string) as JsonValue;
  } catch {
    errors.add(`${pointer}: the arguments are not valid JSON`);
    return {};
  }
}

export function readChatMessages(messages: unknown[], errors: IssueList): Conversation {
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

function toolUses(m: JsonObject, pointer: string, errors: IssueList): ContentBlock[] {
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
 * A function's `parameters` always describe its arguments object: absent means none, and a schema that leaves
 * the root `type` out (`{}`, a bare `properties`) means an object. Converse refuses a root without `type`.
 */
function parametersSchema(parameters: unknown): JsonValue {
  if (!isObject(parameters)) return { type: "object", properties: {} };
  return (parameters.type === undefined ? { type: "object", ...parameters } : parameters) as JsonValue;
}

/**
 * `tools` and `tool_choice` as Converse's toolConfig. "none" drops the tools (Converse has no such
 * choice); "any" (Mistral) and "required" (OpenAI) both mean some tool must be called.
 */
export function readChatTools(tools: unknown, choice: unknown, errors: IssueList): ToolConfiguration | undefined {
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
        inputSchema: { json: parametersSchema(fn.parameters) },
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
