// The Responses API's tool kinds that Chat Completions (and so Converse) has no word for, as function tools the
// model can call, and its calls turned back into the item kinds the client declared:
// - `namespace` tools group functions (Codex lists its sub-agent tools so): each function is offered as
//   `<namespace>__<name>` (the default namespace `functions` by the bare name), and its calls come back as
//   `function_call` items with `namespace` and the bare name;
// - `custom` tools take free-form text (Codex's `apply_patch`): offered as a function with one string
//   parameter, `input` (a grammar, when given, is shown in the description), and answered as `custom_tool_call`
//   items carrying that text.
// History items of both kinds (function_call with namespace, custom_tool_call / custom_tool_call_output) map the
// same way, so an agent's next turn replays its earlier calls.
import { validationError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../formats/shared/check-json.js";

const SEPARATOR = "__";

interface Declared {
  kind: "function" | "custom";
  name: string;
  namespace?: string;
}

export interface ChatFunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters: unknown };
}

/** What a call named `chatName` was declared as. */
export type ToolKinds = ReadonlyMap<string, Declared>;

// The namespace function tools live in by default (OpenAI's own models know them by their bare names there):
// its functions are offered under their own names.
const DEFAULT_NAMESPACE = "functions";

export function chatToolName(name: string, namespace: unknown): string {
  return typeof namespace === "string" && namespace !== "" && namespace !== DEFAULT_NAMESPACE ? `${namespace}${SEPARATOR}${name}` : name;
}

function customDescription(t: JsonObject): string | undefined {
  const parts: string[] = [];
  if (typeof t.description === "string") parts.push(t.description);
  const format = isObject(t.format) ? t.format : undefined;
  if (format?.type === "grammar" && typeof format.definition === "string") {
    const syntax = typeof format.syntax === "string" ? `${format.syntax} ` : "";
    parts.push(`The input must follow this ${syntax}grammar:\n${format.definition}`);
  }
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

function functionTool(t: JsonObject, at: string, namespace?: string): ChatFunctionTool {
  if (typeof t.name !== "string" || t.name === "") throw validationError(`${at}.name: must be a non-empty string.`);
  const fn: ChatFunctionTool["function"] = { name: chatToolName(t.name, namespace), parameters: t.parameters ?? { type: "object" } };
  if (typeof t.description === "string") fn.description = t.description;
  return { type: "function", function: fn };
}

function customTool(t: JsonObject, at: string, namespace?: string): ChatFunctionTool {
  if (typeof t.name !== "string" || t.name === "") throw validationError(`${at}.name: must be a non-empty string.`);
  const description = customDescription(t);
  return {
    type: "function",
    function: {
      name: chatToolName(t.name, namespace),
      ...(description !== undefined && { description }),
      parameters: { type: "object", properties: { input: { type: "string", description: "The tool's free-form input." } }, required: ["input"], additionalProperties: false },
    },
  };
}

/**
 * The body's tools as Chat Completions functions, and what each was declared as. Hosted tools (web_search,
 * file_search, local_shell, …) are not offered: the backends behind Basalt cannot run them.
 */
export function chatToolsOfResponses(tools: unknown[]): { functions: ChatFunctionTool[]; kinds: ToolKinds } {
  const functions: ChatFunctionTool[] = [];
  const kinds = new Map<string, Declared>();
  const add = (t: JsonObject, at: string, namespace?: string) => {
    if (t.type === "function") functions.push(functionTool(t, at, namespace));
    else if (t.type === "custom") functions.push(customTool(t, at, namespace));
    else return;
    kinds.set(functions[functions.length - 1].function.name, { kind: t.type, name: t.name as string, ...(namespace !== undefined && { namespace }) });
  };
  tools.forEach((t, i) => {
    const at = `tools[${i}]`;
    if (!isObject(t) || typeof t.type !== "string") throw validationError(`${at}: must be an object with a type.`);
    if (t.type !== "namespace") return add(t, at);
    if (typeof t.name !== "string" || t.name === "") throw validationError(`${at}.name: must be a non-empty string.`);
    if (!Array.isArray(t.tools)) throw validationError(`${at}.tools: must be an array.`);
    t.tools.forEach((inner, j) => {
      if (!isObject(inner) || typeof inner.type !== "string") throw validationError(`${at}.tools[${j}]: must be an object with a type.`);
      add(inner, `${at}.tools[${j}]`, t.name as string);
    });
  });
  return { functions, kinds };
}

/** A model's call of `chatName` with JSON `args`, as the Responses output item the client declared it as. */
export function callItemFields(kinds: ToolKinds, chatName: string, args: string): JsonObject {
  const declared = kinds.get(chatName);
  if (declared?.kind === "custom") {
    return { type: "custom_tool_call", name: declared.name, input: customInput(args), ...(declared.namespace !== undefined && { namespace: declared.namespace }) };
  }
  if (declared?.namespace !== undefined) return { type: "function_call", name: declared.name, arguments: args, namespace: declared.namespace };
  return { type: "function_call", name: chatName, arguments: args };
}

/** A custom tool's text from the function arguments it was called with (`{"input": "…"}`). */
function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isObject(parsed) && typeof parsed.input === "string") return parsed.input;
  } catch {
    // Not JSON: the model wrote the text itself.
  }
  return args;
}
