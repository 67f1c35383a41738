// A Responses API request → the Chat Completions request it means, so one translation (formats/chat-completions,
// via chat-completions.ts) takes it on to Converse. Stateless: previous_response_id and store: true are refused
// with a clear message, since Basalt keeps no responses. Agents (Codex and the like) send back the reasoning items
// of earlier turns and list hosted tools (web_search, local_shell, …): reasoning items are dropped — their
// encrypted content is only readable by the model that wrote it — and hosted tools are not offered to the model,
// so such agents keep working on any backend instead of failing on their first request. Namespaced and custom
// tools become functions (responses-tools.ts).
import { validationError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../formats/shared/check-json.js";
import { chatToolName, chatToolsOfResponses, type ToolKinds } from "./responses-tools.js";

type ChatMessage = Record<string, unknown>;

function contentPart(part: unknown, at: string): unknown {
  if (!isObject(part)) throw validationError(`${at}: must be an object.`);
  if (part.type === "input_text" || part.type === "output_text") return { type: "text", text: part.text };
  if (part.type === "input_image") return { type: "image_url", image_url: { url: part.image_url } };
  if (part.type === "input_file") return { type: "file", file: { filename: part.filename, file_data: part.file_data, file_id: part.file_id } };
  throw validationError(`${at}.type: unsupported content type '${String(part.type)}'.`);
}

/** A tool output as Chat Completions' tool message text: a string as is, content parts' text joined. */
function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) {
    return output.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : JSON.stringify(p))).join("\n");
  }
  return JSON.stringify(output);
}

/** A call item's function name as offered to the model (left as sent when it is not a string, for validation to name). */
const nameOf = (item: JsonObject): unknown => (typeof item.name === "string" ? chatToolName(item.name, item.namespace) : item.name);

/**
 * The input's items as Chat Completions messages. `additional_tools` items (tools made available from that point
 * on; Codex sends its functions so in Bedrock mode) add their tools to `laterTools`: a stateless translation
 * offers every tool of the conversation at once.
 */
function inputMessages(input: unknown, laterTools: unknown[]): ChatMessage[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  if (!Array.isArray(input)) throw validationError("input: must be a string or an array of items.");
  const out: ChatMessage[] = [];
  const addCall = (callId: unknown, name: unknown, args: unknown) => {
    const call = { id: callId, type: "function", function: { name, arguments: args } };
    const last = out.at(-1);
    // Parallel calls arrive as consecutive items; Chat Completions wants them on one assistant message.
    if (last?.role === "assistant" && Array.isArray(last.tool_calls)) (last.tool_calls as unknown[]).push(call);
    else out.push({ role: "assistant", content: null, tool_calls: [call] });
  };
  input.forEach((item, i) => {
    const at = `input[${i}]`;
    if (!isObject(item)) throw validationError(`${at}: must be an object.`);
    if (item.type === "function_call") {
      addCall(item.call_id, nameOf(item), item.arguments);
    } else if (item.type === "custom_tool_call") {
      addCall(item.call_id, nameOf(item), JSON.stringify({ input: typeof item.input === "string" ? item.input : "" }));
    } else if (item.type === "function_call_output" || item.type === "custom_tool_call_output") {
      out.push({ role: "tool", tool_call_id: item.call_id, content: outputText(item.output) });
    } else if (item.type === "reasoning") {
      return;
    } else if (item.type === "additional_tools") {
      if (!Array.isArray(item.tools)) throw validationError(`${at}.tools: must be an array.`);
      laterTools.push(...item.tools);
    } else if (item.type === undefined || item.type === "message") {
      const content = typeof item.content === "string" ? item.content
        : Array.isArray(item.content) ? item.content.map((p, j) => contentPart(p, `${at}.content[${j}]`)) : undefined;
      if (content === undefined) throw validationError(`${at}.content: must be a string or an array.`);
      out.push({ role: item.role, content });
    } else {
      throw validationError(`${at}.type: unsupported item type '${String(item.type)}'.`);
    }
  });
  return out;
}

/** The Chat Completions body a Responses body stands for, and what each offered function was declared as. */
export function chatBodyOfResponses(body: JsonObject): { chat: JsonObject; kinds: ToolKinds } {
  if (body.previous_response_id !== undefined && body.previous_response_id !== null) {
    throw validationError("previous_response_id: Basalt's Responses API is stateless and keeps no responses; send the whole conversation in input.");
  }
  if (body.store === true) throw validationError("store: Basalt's Responses API is stateless; omit store or set it to false.");
  const messages: ChatMessage[] = [];
  if (typeof body.instructions === "string") messages.push({ role: "system", content: body.instructions });
  const laterTools: unknown[] = [];
  messages.push(...inputMessages(body.input, laterTools));
  const chat: JsonObject = { model: body.model, messages: messages as never };
  if (body.max_output_tokens !== undefined) chat.max_completion_tokens = body.max_output_tokens;
  if (body.temperature !== undefined) chat.temperature = body.temperature;
  if (body.top_p !== undefined) chat.top_p = body.top_p;
  let kinds: ToolKinds = new Map();
  if (Array.isArray(body.tools) || laterTools.length > 0) {
    const offered = chatToolsOfResponses([...(Array.isArray(body.tools) ? body.tools : []), ...laterTools]);
    kinds = offered.kinds;
    if (offered.functions.length > 0) chat.tools = offered.functions as never;
  }
  if (body.tool_choice !== undefined) {
    const c = body.tool_choice;
    chat.tool_choice = isObject(c) && (c.type === "function" || c.type === "custom")
      ? { type: "function", function: { name: chatToolName(String(c.name), c.namespace) } } : c;
  }
  const format = isObject(body.text) ? body.text.format : undefined;
  if (isObject(format) && format.type === "json_schema") {
    chat.response_format = { type: "json_schema", json_schema: { name: format.name, schema: format.schema, description: format.description } } as never;
  }
  return { chat, kinds };
}
