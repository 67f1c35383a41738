// Converse request → Messages API request body (what the anthropic provider sends upstream), plus the
// anthropic-beta header Bedrock takes as an additionalModelRequestFields key.
import { BedrockError } from "../../core/errors.js";
import type { ConverseInput } from "../../core/model.js";
import type { JsonValue, OutputConfig, ToolChoice, ToolConfiguration } from "../../core/shapes.generated.js";
import type { AnthropicRequest, AnthropicTextBlock, AnthropicTool, AnthropicToolChoice } from "./types.js";
import { isObject } from "../shared/check-json.js";
import { anthropicMessagesFromConverse, anthropicSystemFromConverse, attachCachePoint } from "./messages-from-converse.js";

/** max_tokens is required by the Messages API but optional in Converse. */
export const DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicRequestFromConverseOptions {
  /** The upstream's model name. */
  model: string;
  /** The modelId clients use, for error messages. */
  servedModelId: string;
  stream: boolean;
}

export interface AnthropicRequestOut {
  body: AnthropicRequest;
  /** Beta flags for the anthropic-beta header (from additionalModelRequestFields.anthropic_beta, as on Bedrock). */
  betas: string[];
}

// Where each translated body field came from in Converse, for conflict messages.
const SOURCE_FIELDS: Record<string, string> = {
  model: "modelId",
  messages: "messages",
  system: "system",
  max_tokens: "inferenceConfig.maxTokens",
  temperature: "inferenceConfig.temperature",
  top_p: "inferenceConfig.topP",
  stop_sequences: "inferenceConfig.stopSequences",
  tools: "toolConfig.tools",
  tool_choice: "toolConfig.toolChoice",
  output_config: "outputConfig",
  stream: "the operation (Converse or ConverseStream)",
};

export function anthropicRequestFromConverse(
  input: Pick<ConverseInput, "messages" | "system" | "inferenceConfig" | "toolConfig" | "outputConfig" | "additionalModelRequestFields">,
  opts: AnthropicRequestFromConverseOptions,
): AnthropicRequestOut {
  const convertOpts = { servedModelId: opts.servedModelId };
  const system: AnthropicTextBlock[] = anthropicSystemFromConverse(input.system);
  const messages = anthropicMessagesFromConverse(input.messages ?? [], system, convertOpts);
  const body: AnthropicRequest = { model: opts.model, messages };
  if (system.length > 0) body.system = system;
  const cfg = input.inferenceConfig;
  if (cfg?.maxTokens !== undefined) body.max_tokens = cfg.maxTokens;
  if (cfg?.temperature !== undefined) body.temperature = cfg.temperature;
  if (cfg?.topP !== undefined) body.top_p = cfg.topP;
  if (cfg?.stopSequences && cfg.stopSequences.length > 0) body.stop_sequences = cfg.stopSequences;
  if (input.toolConfig) addTools(body, input.toolConfig, opts.servedModelId);
  const output = outputConfig(input.outputConfig);
  if (output) body.output_config = output;
  if (opts.stream) body.stream = true;
  const betas = mergeAdditionalFields(body, input.additionalModelRequestFields);
  if (body.max_tokens === undefined) body.max_tokens = defaultMaxTokens(body.thinking);
  return { body, betas };
}

/**
 * Converse's outputConfig → the Messages API's output_config: structured output (Converse carries the schema as
 * JSON text, Claude takes the object) and effort. A schema that is not JSON is refused as Bedrock refuses one.
 */
function outputConfig(config: OutputConfig | undefined): Record<string, unknown> | undefined {
  if (!config) return undefined;
  const out: Record<string, unknown> = {};
  const def = config.textFormat?.structure?.jsonSchema;
  if (def) {
    try {
      out.format = { type: "json_schema", schema: JSON.parse(def.schema) };
    } catch {
      throw new BedrockError("ValidationException", "The provided JSON schema in outputConfig.textFormat is not valid JSON. Fix the schema and try again.");
    }
  }
  if (config.effort !== undefined) out.effort = config.effort;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Room for the answer on top of a thinking budget, which must be below max_tokens. */
function defaultMaxTokens(thinking: unknown): number {
  const budget = (thinking as { budget_tokens?: unknown } | undefined)?.budget_tokens;
  return typeof budget === "number" && budget >= 1 ? budget + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
}

function addTools(body: AnthropicRequest, config: ToolConfiguration, servedModelId: string): void {
  const tools: AnthropicTool[] = [];
  for (const tool of config.tools) {
    if ("toolSpec" in tool) {
      const spec = tool.toolSpec;
      const out: AnthropicTool = { name: spec.name, input_schema: spec.inputSchema.json };
      if (spec.description !== undefined) out.description = spec.description;
      if (spec.strict !== undefined) out.strict = spec.strict;
      tools.push(out);
    } else if ("cachePoint" in tool) attachCachePoint(tools, tool.cachePoint);
    else if ("systemTool" in tool) {
      throw new BedrockError("ValidationException", `The model ${servedModelId} doesn't support the systemTool field. Remove systemTool and try again.`);
    }
  }
  if (tools.length > 0) body.tools = tools;
  if (config.toolChoice) body.tool_choice = mapToolChoice(config.toolChoice);
}

function mapToolChoice(choice: ToolChoice): AnthropicToolChoice {
  if ("any" in choice) return { type: "any" };
  if ("tool" in choice) return { type: "tool", name: choice.tool.name };
  return { type: "auto" };
}

/**
 * additionalModelRequestFields are merged into the body. Objects merge key by key (so
 * `tool_choice: {disable_parallel_tool_use: true}` joins a toolConfig.toolChoice); a value the
 * Converse request already set is a conflict, refused with Bedrock's wording
 * ("The additional field tool_choice/type conflicts with the existing field toolConfig.toolChoice.auto.").
 */
function mergeAdditionalFields(body: AnthropicRequest, fields: JsonValue | undefined): string[] {
  if (fields === undefined || fields === null) return [];
  if (typeof fields !== "object" || Array.isArray(fields)) {
    throw new BedrockError("ValidationException", "The additionalModelRequestFields field must be a JSON object. Fix it and try again.");
  }
  let betas: string[] = [];
  for (const key in fields) {
    const value = fields[key];
    if (key === "anthropic_beta") {
      betas = Array.isArray(value) ? value.map(String) : [String(value)];
      continue;
    }
    // Bedrock's own InvokeModel field; the Messages API takes the version as a header.
    if (key === "anthropic_version") continue;
    if (key === "model" || key === "messages" || key === "stream") throw conflict(key, SOURCE_FIELDS[key]);
    body[key] = mergeValue(body[key], value, key, () => existingField(key, body));
  }
  return betas;
}

function mergeValue(existing: unknown, value: unknown, path: string, source: () => string): unknown {
  if (existing === undefined) return value;
  if (isObject(existing) && isObject(value)) {
    const merged: Record<string, unknown> = { ...existing };
    for (const k in value) merged[k] = mergeValue(existing[k], value[k], `${path}/${k}`, source);
    return merged;
  }
  throw conflict(path, source());
}

function existingField(key: string, body: AnthropicRequest): string {
  if (key === "tool_choice" && isObject(body.tool_choice)) return `toolConfig.toolChoice.${String(body.tool_choice.type)}`;
  return SOURCE_FIELDS[key] ?? key;
}

function conflict(path: string, existing: string): BedrockError {
  return new BedrockError("ValidationException", `The additional field ${path} conflicts with the existing field ${existing}. Remove ${path} and try again.`);
}
