// A Cohere Command R/R+ chat body → Converse input. `preamble` and `documents` become the system prompt;
// `chat_history` the earlier turns (USER/CHATBOT, SYSTEM, TOOL); `tools` with `parameter_definitions`
// become JSON-schema tools. Cohere names tool calls by name and parameters only, so Basalt gives each a
// stable id and pairs `tool_results` with the CHATBOT turn that asked for them.
import type { ConverseInput } from "../../core/model.js";
import type { ContentBlock, JsonValue, Tool, ToolConfiguration } from "../../core/shapes.generated.js";
import { checkObject, checkValue, isObject, type JsonObject, type ObjectSchema } from "../../formats/shared/check-json.js";
import { ErrorList } from "../native-body.js";
import { Conversation } from "../../formats/converse/conversation.js";

const SCHEMA: ObjectSchema = {
  required: ["message"],
  properties: {
    message: { type: "string" },
    chat_history: { type: "array" },
    documents: { type: "array" },
    search_queries_only: { type: "boolean" },
    preamble: { type: "string" },
    max_tokens: { type: "integer", min: 1 },
    temperature: { type: "number", min: 0, max: 1 },
    p: { type: "number", min: 0.01, max: 0.99 },
    k: { type: "integer", min: 0, max: 500 },
    prompt_truncation: { type: "string", enum: ["OFF", "AUTO_PRESERVE_ORDER"] },
    frequency_penalty: { type: "number", min: 0, max: 1 },
    presence_penalty: { type: "number", min: 0, max: 1 },
    seed: { type: "integer" },
    return_prompt: { type: "boolean" },
    tools: { type: "array" },
    tool_results: { type: "array" },
    stop_sequences: { type: "array" },
    raw_prompting: { type: "boolean" },
  },
};

const HISTORY_SCHEMA: ObjectSchema = {
  required: ["role"],
  properties: {
    role: { type: "string", enum: ["USER", "CHATBOT", "SYSTEM", "TOOL"] },
    message: { type: "string" },
    tool_calls: { type: "array" },
    tool_results: { type: "array" },
  },
};

const TOOL_SCHEMA: ObjectSchema = {
  required: ["name"],
  properties: { name: { type: "string" }, description: { type: "string" }, parameter_definitions: { type: "object" } },
};

const CALL_SCHEMA: ObjectSchema = {
  required: ["name"],
  additional: true,
  properties: { name: { type: "string" }, parameters: { type: "object" } },
};

const RESULT_SCHEMA: ObjectSchema = {
  required: ["call", "outputs"],
  properties: { call: { type: "object" }, outputs: { type: "array" } },
};

// Sampling fields with no Converse member, passed on as Converse callers would.
const PASSED_ON = ["k", "frequency_penalty", "presence_penalty", "seed", "prompt_truncation", "search_queries_only", "return_prompt", "raw_prompting"];

const callKey = (name: unknown, parameters: unknown) => `${String(name)}\u0000${JSON.stringify(parameters ?? {})}`;

/** Tool calls the conversation has made so far, so later results can name them by id. */
class CallBook {
  private readonly open = new Map<string, string[]>();
  private n = 0;

  /** A CHATBOT turn's tool_calls as toolUse blocks, each with a fresh id. */
  uses(calls: JsonObject[]): ContentBlock[] {
    return calls.map((c) => {
      const id = `cohere_call_${this.n++}`;
      const key = callKey(c.name, c.parameters);
      this.open.set(key, [...(this.open.get(key) ?? []), id]);
      return { toolUse: { toolUseId: id, name: c.name as string, input: (c.parameters ?? {}) as JsonValue } };
    });
  }

  /** Results as toolResult blocks; a result whose call was never made gets that call added first. */
  results(results: JsonObject[], conversation: Conversation): ContentBlock[] {
    const missing = results.filter((r) => !this.open.get(callKey((r.call as JsonObject).name, (r.call as JsonObject).parameters))?.length);
    if (missing.length) conversation.add("assistant", this.uses(missing.map((r) => r.call as JsonObject)));
    return results.map((r) => {
      const call = r.call as JsonObject;
      const ids = this.open.get(callKey(call.name, call.parameters))!;
      const toolUseId = ids.shift()!;
      return { toolResult: { toolUseId, content: (r.outputs as JsonValue[]).map((o) => ({ json: o })) } };
    });
  }
}

function checkList(list: unknown, schema: ObjectSchema, pointer: string, errors: ErrorList): JsonObject[] {
  if (!Array.isArray(list)) return [];
  const ok: JsonObject[] = [];
  list.forEach((item, i) => {
    if (!isObject(item)) return errors.add(checkValue(item, { type: "object" }, `${pointer}/${i}`));
    const e = checkObject(item, schema, `${pointer}/${i}`);
    if (e.length) errors.add(...e);
    else ok.push(item);
  });
  return ok;
}

function checkResults(list: unknown, pointer: string, errors: ErrorList): JsonObject[] {
  const results = checkList(list, RESULT_SCHEMA, pointer, errors);
  results.forEach((r, i) => errors.add(...checkObject(r.call as JsonObject, CALL_SCHEMA, `${pointer}/${i}/call`)));
  return results;
}

const JSON_TYPES: Record<string, string> = { str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "object" };

/** Cohere's python-style type names (`str`, `List[str]`, `Dict`) as JSON-schema types. */
function jsonType(type: unknown): string {
  const t = typeof type === "string" ? type.toLowerCase() : "str";
  return JSON_TYPES[t] ?? (t.startsWith("list") ? "array" : t.startsWith("dict") ? "object" : "string");
}

function toolSpec(tool: JsonObject): Tool {
  const defs = isObject(tool.parameter_definitions) ? tool.parameter_definitions : {};
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const d = isObject(def) ? def : {};
    properties[name] = { type: jsonType(d.type), ...(typeof d.description === "string" && { description: d.description }) };
    if (d.required === true) required.push(name);
  }
  return {
    toolSpec: {
      name: tool.name as string,
      ...(typeof tool.description === "string" && { description: tool.description }),
      inputSchema: { json: { type: "object", properties, ...(required.length && { required }) } },
    },
  };
}

function documentsText(documents: JsonObject[]): string {
  return documents
    .map((d, i) => [`Document ${i}:`, ...Object.entries(d).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)].join("\n"))
    .join("\n\n");
}

export function cohereToConverse(body: JsonObject): ConverseInput {
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const history = checkList(body.chat_history, HISTORY_SCHEMA, "#/chat_history", errors);
  history.forEach((h, i) => {
    checkList(h.tool_calls, CALL_SCHEMA, `#/chat_history/${i}/tool_calls`, errors);
    checkResults(h.tool_results, `#/chat_history/${i}/tool_results`, errors);
  });
  const tools = checkList(body.tools, TOOL_SCHEMA, "#/tools", errors);
  const results = checkResults(body.tool_results, "#/tool_results", errors);
  const documents = checkList(body.documents, { properties: {}, additional: true }, "#/documents", errors);
  const stops = Array.isArray(body.stop_sequences) ? body.stop_sequences : [];
  stops.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/stop_sequences/${i}`)));
  errors.throwIfAny();

  const conversation = new Conversation();
  conversation.addSystem((body.preamble as string | undefined) ?? "");
  if (documents.length) conversation.addSystem(documentsText(documents));
  const book = new CallBook();
  for (const h of history) {
    if (h.role === "SYSTEM") conversation.addSystem((h.message as string | undefined) ?? "");
    else if (h.role === "USER") conversation.addText("user", (h.message as string | undefined) ?? "");
    else if (h.role === "CHATBOT") {
      const text = (h.message as string | undefined) ?? "";
      const calls = Array.isArray(h.tool_calls) ? (h.tool_calls as JsonObject[]) : [];
      conversation.add("assistant", [...(text ? [{ text }] : []), ...book.uses(calls)]);
    } else conversation.add("user", book.results((h.tool_results as JsonObject[] | undefined) ?? [], conversation));
  }
  const message = body.message as string;
  if (results.length) {
    // The question comes before the calls it caused, unless the history already holds both.
    const last = history[history.length - 1];
    const answered = last?.role === "CHATBOT" && Array.isArray(last.tool_calls) && last.tool_calls.length > 0;
    if (!answered) conversation.addText("user", message);
    conversation.add("user", book.results(results, conversation));
    if (answered) conversation.addText("user", message);
  } else conversation.addText("user", message);

  const input = conversation.toInput({
    maxTokens: body.max_tokens as number | undefined,
    temperature: body.temperature as number | undefined,
    topP: body.p as number | undefined,
    stopSequences: stops.length ? (stops as string[]) : undefined,
  });
  if (tools.length) {
    const toolConfig: ToolConfiguration = { tools: tools.map(toolSpec) };
    input.toolConfig = toolConfig;
  }
  const extra = Object.fromEntries(PASSED_ON.filter((k) => body[k] !== undefined).map((k) => [k, body[k] as JsonValue]));
  if (Object.keys(extra).length) input.additionalModelRequestFields = extra;
  return input;
}
