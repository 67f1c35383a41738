// Converse request → Chat Completions request body (what the openai provider sends upstream).
import { BedrockError } from "../../core/errors.js";
import type { ConverseInput } from "../../core/model.js";
import type { JsonValue, OutputConfig, ToolChoice, ToolConfiguration } from "../../core/shapes.generated.js";
import type { OpenAIRequest, OpenAITool, OpenAIToolChoice } from "./types.js";
import { chatMessagesFromConverse, chatSystemFromConverse } from "./messages-from-converse.js";

export interface ChatRequestFromConverseOptions {
  /** The upstream's model name. */
  model: string;
  /** The modelId clients use, for error messages. */
  servedModelId: string;
  stream: boolean;
}

// Body fields the translation itself sets, and the Converse field each comes from: an
// additionalModelRequestFields key that collides with one is refused, as Bedrock refuses it.
const TRANSLATED_FIELDS: Record<string, string> = {
  model: "modelId",
  messages: "messages",
  max_tokens: "inferenceConfig.maxTokens",
  temperature: "inferenceConfig.temperature",
  top_p: "inferenceConfig.topP",
  stop: "inferenceConfig.stopSequences",
  tools: "toolConfig.tools",
  tool_choice: "toolConfig.toolChoice",
  stream: "the operation (Converse or ConverseStream)",
  stream_options: "the operation (Converse or ConverseStream)",
  response_format: "outputConfig.textFormat",
};

/**
 * Converse's structured output (outputConfig.textFormat, a JSON schema given as text) as Chat Completions'
 * response_format json_schema, which OpenAI-compatible servers enforce; a schema that is not JSON is refused as
 * Bedrock refuses one.
 */
function responseFormat(config: OutputConfig | undefined): Record<string, unknown> | undefined {
  const def = config?.textFormat?.structure?.jsonSchema;
  if (!def) return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(def.schema);
  } catch {
    throw new BedrockError("ValidationException", "The provided JSON schema in outputConfig.textFormat is not valid JSON. Fix the schema and try again.");
  }
  return { type: "json_schema", json_schema: { name: def.name ?? "response", schema, ...(def.description !== undefined && { description: def.description }) } };
}

export function chatRequestFromConverse(input: ConverseInput, opts: ChatRequestFromConverseOptions): OpenAIRequest {
  const convertOpts = { servedModelId: opts.servedModelId };
  const messages = chatMessagesFromConverse(input.messages ?? [], convertOpts);
  const system = chatSystemFromConverse(input.system);
  if (system) messages.unshift(system);

  const body: OpenAIRequest = { model: opts.model, messages };
  const cfg = input.inferenceConfig;
  if (cfg?.maxTokens !== undefined) body.max_tokens = cfg.maxTokens;
  if (cfg?.temperature !== undefined) body.temperature = cfg.temperature;
  if (cfg?.topP !== undefined) body.top_p = cfg.topP;
  if (cfg?.stopSequences && cfg.stopSequences.length > 0) body.stop = cfg.stopSequences;
  if (input.toolConfig) addTools(body, input.toolConfig, opts.servedModelId);
  const format = responseFormat(input.outputConfig);
  if (format) body.response_format = format;
  if (opts.stream) {
    body.stream = true;
    // Without this, Chat Completions streams carry no token counts at all.
    body.stream_options = { include_usage: true };
  }
  mergeAdditionalFields(body, input.additionalModelRequestFields);
  return body;
}

function addTools(body: OpenAIRequest, config: ToolConfiguration, servedModelId: string): void {
  const tools: OpenAITool[] = [];
  for (const tool of config.tools) {
    if ("toolSpec" in tool) {
      const spec = tool.toolSpec;
      const fn: OpenAITool["function"] = { name: spec.name, parameters: spec.inputSchema.json };
      if (spec.description !== undefined) fn.description = spec.description;
      if (spec.strict !== undefined) fn.strict = spec.strict;
      tools.push({ type: "function", function: fn });
    } else if ("systemTool" in tool) {
      throw new BedrockError(
        "ValidationException",
        `The model ${servedModelId} doesn't support the systemTool field. Remove systemTool and try again.`,
      );
    }
    // cachePoint: nothing to send.
  }
  if (tools.length > 0) body.tools = tools;
  if (config.toolChoice) body.tool_choice = mapToolChoice(config.toolChoice);
}

function mapToolChoice(choice: ToolChoice): OpenAIToolChoice {
  if ("any" in choice) return "required";
  if ("tool" in choice) return { type: "function", function: { name: choice.tool.name } };
  return "auto";
}

function mergeAdditionalFields(body: OpenAIRequest, fields: JsonValue | undefined): void {
  if (fields === undefined || fields === null) return;
  if (typeof fields !== "object" || Array.isArray(fields)) {
    throw new BedrockError("ValidationException", "The additionalModelRequestFields field must be a JSON object. Fix it and try again.");
  }
  for (const key in fields) {
    if (key in body || key === "stream" || key === "stream_options" || key === "model" || key === "messages") {
      const existing = TRANSLATED_FIELDS[key] ?? key;
      throw new BedrockError(
        "ValidationException",
        `The additional field ${key} conflicts with the existing field ${existing}. Remove ${key} and try again.`,
      );
    }
    body[key] = fields[key];
  }
}
