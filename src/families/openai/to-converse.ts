// An OpenAI Chat Completions body (as Bedrock takes it for `openai.gpt-oss-*`) → Converse input, read by
// formats/chat-completions; what is Bedrock's own is the error wording and the `model` check.
import type { ConverseInput } from "../../core/model.js";
import { validationError } from "../../core/errors.js";
import { chatRequestToConverse } from "../../formats/chat-completions/request-to-converse.js";
import { isObject } from "../../formats/shared/check-json.js";
import type { InvokeCall } from "../family.js";
import { ErrorList, malformed } from "../native-body.js";

/** The body's `model`, when present, must name the model the URL names (Bedrock fills it in otherwise). */
function checkModel(model: unknown, modelId: string): void {
  if (typeof model !== "string" || model === modelId || modelId.endsWith(`/${model}`) || modelId.endsWith(`.${model}`)) return;
  throw validationError(`The model ${model} in the request body does not match the model ${modelId} in the request. Remove the model field or make it match, and try again.`);
}

export function openaiToConverse(body: unknown, call: InvokeCall): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  const input = chatRequestToConverse(body, errors);
  errors.throwIfAny();
  checkModel(body.model, call.modelId);
  return input;
}
