// An OpenAI Chat Completions body (as Bedrock takes it for `openai.gpt-oss-*`) → Converse input. As the
// Bedrock docs map it: developer/system messages → system, max_completion_tokens (or the older max_tokens)
// → maxTokens, stop → stopSequences, temperature, top_p; every other field → additionalModelRequestFields.
import type { ConverseInput } from "../../core/model.js";
import type { JsonValue } from "../../core/shapes.generated.js";
import { validationError } from "../../core/errors.js";
import type { InvokeCall } from "../family.js";
import { checkObject, checkValue, ErrorList, isObject, malformed, type ObjectSchema } from "../native-body.js";
import { readChatMessages, readChatTools } from "../shared/chat-messages.js";
import { stopList } from "../shared/conversation.js";

const SCHEMA: ObjectSchema = {
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
const MAPPED = new Set(Object.keys(SCHEMA.properties));

/** The body's `model`, when present, must name the model the URL names (Bedrock fills it in otherwise). */
function checkModel(model: unknown, modelId: string): void {
  if (typeof model !== "string" || model === modelId || modelId.endsWith(`/${model}`) || modelId.endsWith(`.${model}`)) return;
  throw validationError(`The model ${model} in the request body does not match the model ${modelId} in the request. Remove the model field or make it match, and try again.`);
}

export function openaiToConverse(body: unknown, call: InvokeCall): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const stops = stopList(body.stop);
  if (Array.isArray(body.stop)) body.stop.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/stop/${i}`)));
  const conversation = readChatMessages(Array.isArray(body.messages) ? body.messages : [], errors);
  const toolConfig = readChatTools(body.tools, body.tool_choice, errors);
  errors.throwIfAny();
  checkModel(body.model, call.modelId);

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
