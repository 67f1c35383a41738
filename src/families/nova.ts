// Amazon Nova understanding models, `schemaVersion: messages-v1` (DIGEST §15.4). The native body is
// Converse's camelCase JSON with a few differences: `inferenceConfig.max_new_tokens` (older docs) beside
// `maxTokens`, `topK`, and a top-level `reasoningConfig` (Nova 2). Stream chunks are the Converse events
// themselves, one per chunk.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type {
  ContentBlock, InferenceConfiguration, JsonValue, Message, SystemContentBlock, TokenUsage, ToolConfiguration,
} from "../core/shapes.generated.js";
import type { Family } from "./family.js";
import { checkObject, checkValue, isObject, readMessages, type ObjectSchema } from "../formats/shared/check-json.js";
import { ErrorList, malformed } from "./native-body.js";

const SCHEMA: ObjectSchema = {
  required: ["messages"],
  properties: {
    schemaVersion: { type: "string", enum: ["messages-v1"] },
    system: { type: "array" },
    messages: { type: "array" },
    inferenceConfig: { type: "object" },
    toolConfig: { type: "object" },
    reasoningConfig: { type: "object" },
  },
};

const INFERENCE_SCHEMA: ObjectSchema = {
  properties: {
    max_new_tokens: { type: "integer", min: 1 },
    maxTokens: { type: "integer", min: 1 },
    temperature: { type: "number", min: 0, max: 1 },
    topP: { type: "number", min: 0, max: 1 },
    topK: { type: "integer", min: 0 },
    stopSequences: { type: "array" },
    reasoningConfig: { type: "object" },
  },
};

const MESSAGE_SCHEMA: ObjectSchema = {
  required: ["role", "content"],
  properties: { role: { type: "string", enum: ["user", "assistant"] }, content: { type: "array" } },
};

const BLOCK_KEYS = ["text", "image", "video", "document", "toolUse", "toolResult", "cachePoint", "reasoningContent"];
const SYSTEM_KEYS = ["text", "cachePoint"];

/** A content block is an object with exactly one known member; anything else is named as Bedrock does. */
function checkBlock(b: unknown, pointer: string, allowed: string[], errors: ErrorList): boolean {
  if (!isObject(b)) return errors.add(checkValue(b, { type: "object" }, pointer)), false;
  const keys = Object.keys(b);
  const extra = keys.filter((k) => !allowed.includes(k));
  for (const k of extra) errors.add(`${pointer}: extraneous key [${k}] is not permitted`);
  if (extra.length === 0 && keys.length !== 1) errors.add(`${pointer}: expected exactly one of the keys [${allowed.join(", ")}], found ${keys.length}`);
  return extra.length === 0 && keys.length === 1;
}

function toConverse(body: unknown): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));

  const messages: Message[] = readMessages(body.messages, MESSAGE_SCHEMA, errors, (m, pointer) => ({
    role: m.role as Message["role"],
    content: (m.content as unknown[]).filter((b, j) => checkBlock(b, `${pointer}/content/${j}`, BLOCK_KEYS, errors)) as ContentBlock[],
  }));
  const system: SystemContentBlock[] = [];
  if (Array.isArray(body.system)) {
    body.system.forEach((b, i) => {
      if (checkBlock(b, `#/system/${i}`, SYSTEM_KEYS, errors)) system.push(b as SystemContentBlock);
    });
  }
  const ic = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
  errors.add(...checkObject(ic, INFERENCE_SCHEMA, "#/inferenceConfig"));
  const stops = Array.isArray(ic.stopSequences) ? ic.stopSequences : [];
  stops.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/inferenceConfig/stopSequences/${i}`)));
  if (isObject(body.toolConfig)) {
    errors.add(...checkObject(body.toolConfig, {
      required: ["tools"], properties: { tools: { type: "array" }, toolChoice: { type: "object" } },
    }, "#/toolConfig"));
  }
  errors.throwIfAny();

  const inferenceConfig: InferenceConfiguration = {};
  const maxTokens = ic.maxTokens ?? ic.max_new_tokens;
  if (maxTokens !== undefined) inferenceConfig.maxTokens = maxTokens as number;
  if (ic.temperature !== undefined) inferenceConfig.temperature = ic.temperature as number;
  if (ic.topP !== undefined) inferenceConfig.topP = ic.topP as number;
  if (stops.length) inferenceConfig.stopSequences = stops as string[];

  const input: ConverseInput = { messages };
  if (system.length) input.system = system;
  if (Object.keys(inferenceConfig).length) input.inferenceConfig = inferenceConfig;
  if (isObject(body.toolConfig)) input.toolConfig = body.toolConfig as unknown as ToolConfiguration;
  // Where Converse callers put Nova's extra parameters.
  const extra: Record<string, JsonValue> = {};
  if (ic.topK !== undefined) extra.inferenceConfig = { topK: ic.topK as number };
  const reasoning = body.reasoningConfig ?? ic.reasoningConfig;
  if (reasoning !== undefined) extra.reasoningConfig = reasoning as JsonValue;
  if (Object.keys(extra).length) input.additionalModelRequestFields = extra;
  return input;
}

function novaUsage(u: TokenUsage | undefined) {
  return {
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    totalTokens: u?.totalTokens ?? (u?.inputTokens ?? 0) + (u?.outputTokens ?? 0),
    cacheReadInputTokenCount: u?.cacheReadInputTokens ?? 0,
    cacheWriteInputTokenCount: u?.cacheWriteInputTokens ?? 0,
  };
}

function fromConverse(output: ConverseOutput): unknown {
  const content = output.output && "message" in output.output ? output.output.message.content : [];
  return {
    output: { message: { role: "assistant", content } },
    stopReason: output.stopReason,
    usage: novaUsage(output.usage),
  };
}

async function* toChunks(events: AsyncIterable<StreamEvent>): AsyncIterable<Record<string, unknown>> {
  let sawMetadata = false;
  for await (const event of events) {
    // Copy only the event member, so fields a backend adds (such as padding) do not leak into the chunk.
    if (event.messageStart) yield { messageStart: event.messageStart };
    else if (event.contentBlockStart) yield { contentBlockStart: event.contentBlockStart };
    else if (event.contentBlockDelta) yield { contentBlockDelta: event.contentBlockDelta };
    else if (event.contentBlockStop) yield { contentBlockStop: event.contentBlockStop };
    else if (event.messageStop) yield { messageStop: { stopReason: event.messageStop.stopReason } };
    else if (event.metadata) {
      sawMetadata = true;
      yield { metadata: { usage: novaUsage(event.metadata.usage), metrics: {}, trace: {} } };
    }
  }
  if (!sawMetadata) yield { metadata: { usage: novaUsage(undefined), metrics: {}, trace: {} } };
}

export const novaFamily: Family = { name: "nova", toConverse: (body) => ({ input: toConverse(body), fromConverse, toChunks }) };
