// What particular models refuse on Bedrock, recorded from the real service (recordings/bedrock/): echo served
// under such an id refuses the same requests with the same words, so code tested against it meets these
// refusals before production does. Each rule names the models it was recorded for; the id is the served one
// (`anthropic.claude-opus-5-…`, whatever inference-profile prefix the client sent).
// OpenAI models, in Converse (Bedrock's Converse front end refuses the field; the recordings are
// amazon-bedrock-openai-*-error.json, as the Vercel AI SDK's tests of them use them):
// - gpt-oss takes no `stopSequences`;
// - the other OpenAI models (GPT-5.x) take none of `temperature`, `topP`, `stopSequences` (the first one sent is named).
// Amazon Nova:
// - Nova 1 (Micro, Lite, Pro) has no reasoning: any reasoningConfig is refused (amazon-bedrock-nova-micro-portable-reasoning.json);
// - Nova 2 with reasoning at high effort wants maxTokens unset (amazon-bedrock-nova-2-high-reasoning-validation-error.json).
// Claude:
// - Extended thinking with a forced tool choice, any Claude (amazon-bedrock-issue-11227-opus-4-5-error.json).
// - Opus 5 and later deprecate `temperature` and `top_p` (amazon-bedrock-opus-5-deprecated-*.json).
// - Opus 5.5 refuses a forced tool choice altogether (bedrock-opus-5-5-forced-tool-error.json).
// - Sonnet 5 refuses `strict` on tools (issue-18199-sonnet-5-strict-error.json).
import { validationError } from "../../core/errors.js";
import type { ConverseInput } from "../../core/model.js";
import { isObject } from "../../core/json.js";
import { reasoningRequested } from "./reasoning.js";

const MODEL_ERRORS = "The model returned the following errors: ";

const CLAUDE = /(^|\.)anthropic\.claude-/;
// Opus 5 and every later Opus: 5, 5-5, 6, …
const OPUS_5_ON = /claude-opus-([5-9]|\d{2,})(?![0-9])/;
const OPUS_5_5 = /claude-opus-5-5(?![0-9])/;
const SONNET_5 = /claude-sonnet-5(?![0-9])/;

const NOVA_1 = /(^|\.)amazon\.nova-(micro|lite|pro)-v1/;
const NOVA_2 = /(^|\.)amazon\.nova-2-/;
const NOVA_DOCS = "https://docs.aws.amazon.com/nova/latest/userguide";

const OPENAI = /(^|\.)openai\./;
const GPT_OSS = /(^|\.)openai\.gpt-oss-/;

const unsupportedField = (field: string) => validationError(`This model doesn't support the ${field} field. Remove ${field} and try again.`);

/**
 * Throws the ValidationException Bedrock answers when the model `id` refuses the request; else nothing.
 * `operation`: the call's (the OpenAI models' rules are Converse's own).
 */
export function checkModelRules(id: string, input: ConverseInput, operation: string | undefined): void {
  if (OPENAI.test(id)) {
    if (operation === "Converse" || operation === "ConverseStream") checkOpenAiRules(id, input);
    return;
  }
  if (CLAUDE.test(id)) checkClaudeRules(id, input);
  else if (NOVA_1.test(id) || NOVA_2.test(id)) checkNovaRules(id, input);
}

function checkNovaRules(id: string, input: ConverseInput): void {
  const fields = input.additionalModelRequestFields;
  const reasoning = isObject(fields) ? fields.reasoningConfig : undefined;
  if (reasoning === undefined) return;
  if (NOVA_1.test(id)) {
    throw validationError(`${MODEL_ERRORS}Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.`);
  }
  if (isObject(reasoning) && reasoning.type === "enabled" && reasoning.maxReasoningEffort === "high" && input.inferenceConfig?.maxTokens !== undefined) {
    throw validationError(`${MODEL_ERRORS}\`maxTokens\` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at ${NOVA_DOCS}`);
  }
}

function checkOpenAiRules(id: string, input: ConverseInput): void {
  const cfg = input.inferenceConfig;
  if (!GPT_OSS.test(id)) {
    if (cfg?.temperature !== undefined) throw unsupportedField("temperature");
    if (cfg?.topP !== undefined) throw unsupportedField("topP");
  }
  if (cfg?.stopSequences !== undefined) throw unsupportedField("stopSequences");
}

function checkClaudeRules(id: string, input: ConverseInput): void {
  const choice = input.toolConfig?.toolChoice;
  const forced = choice !== undefined && ("tool" in choice || "any" in choice);
  if (forced && OPUS_5_5.test(id)) throw validationError(`${MODEL_ERRORS}tool_choice: type "tool" and "any" are not supported for this model.`);
  if (OPUS_5_ON.test(id)) {
    if (input.inferenceConfig?.temperature !== undefined) throw validationError(`${MODEL_ERRORS}\`temperature\` is deprecated for this model.`);
    if (input.inferenceConfig?.topP !== undefined) throw validationError(`${MODEL_ERRORS}\`top_p\` is deprecated for this model.`);
  }
  if (SONNET_5.test(id)) {
    // Counted as Claude counts its tools (cache points are not tools there).
    const specs = input.toolConfig?.tools.filter((t) => "toolSpec" in t) ?? [];
    const strict = specs.findIndex((t) => "toolSpec" in t && t.toolSpec.strict !== undefined);
    if (strict >= 0) throw validationError(`${MODEL_ERRORS}tools.${strict}.custom.strict: Extra inputs are not permitted`);
  }
  if (forced && reasoningRequested(input)) throw validationError(`${MODEL_ERRORS}Thinking may not be enabled when tool_choice forces tool use.`);
}
