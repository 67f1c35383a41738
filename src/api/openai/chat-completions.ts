// POST /openai/v1/chat/completions and /v1/chat/completions: formats/chat-completions in the front door's
// direction, over the policy-wrapped served model. OpenAI-only knobs that no backend understands are dropped
// here (they would otherwise travel as additionalModelRequestFields); response_format json_schema becomes
// Converse's outputConfig.
import { validationError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { ConverseInput } from "../../core/model.js";
import { noteOutput } from "../../core/record-outcome.js";
import type { OutputConfig } from "../../core/shapes.generated.js";
import { chatRequestToConverse, chatResponseFromConverse, chatStreamFromConverse } from "../../formats/chat-completions/index.js";
import { IssueList, isObject, type JsonObject } from "../../formats/shared/check-json.js";
import type { IncomingCall } from "../../server/call-context.js";
import { policyHeaders } from "../bedrock/respond.js";
import { checkedInput, newId, openedEvents, readJsonObject, servedModel, startSse, writeSse } from "../foreign/model-call.js";
import { sendOpenAIError } from "./openai-errors.js";
import { endResponse } from "../../server/end-response.js";

// Sampling and bookkeeping fields of the OpenAI API with no Converse meaning.
const DROPPED = ["response_format", "parallel_tool_calls", "n", "user", "store", "metadata", "seed", "logprobs", "top_logprobs",
  "frequency_penalty", "presence_penalty", "logit_bias", "service_tier", "prediction", "modalities", "audio", "safety_identifier", "prompt_cache_key"];

/** response_format → outputConfig: json_schema is structured output; text and json_object ask for nothing Converse can enforce. */
export function outputConfigOf(format: unknown): OutputConfig | undefined {
  if (format === undefined || format === null) return undefined;
  if (!isObject(format) || typeof format.type !== "string") throw validationError("response_format: must be an object with a type.");
  if (format.type === "text" || format.type === "json_object") return undefined;
  if (format.type !== "json_schema") throw validationError(`response_format.type: unsupported value '${format.type}'.`);
  const spec = format.json_schema;
  if (!isObject(spec) || typeof spec.name !== "string" || !isObject(spec.schema)) {
    throw validationError("response_format.json_schema: needs a name and a schema object.");
  }
  return {
    textFormat: {
      type: "json_schema",
      structure: { jsonSchema: { schema: JSON.stringify(spec.schema), name: spec.name, ...(typeof spec.description === "string" && { description: spec.description }) } },
    },
  };
}

// The smallest non-blank user turn: what stands in for the user when a conversation has none of its own.
const NO_USER_TURN = ".";

// OpenAI's function name rule (its API reference: a-z, A-Z, 0-9, underscores and dashes, up to 64).
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * What the Chat Completions API refuses about tools before any model sees them, in its words. (A Responses
 * request is not checked here: its hosted tools are dropped on the way, leaving a tool_choice without tools.)
 */
function checkTools(body: JsonObject): void {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  if (body.tool_choice !== undefined && body.tool_choice !== null && body.tool_choice !== "none" && tools.length === 0) {
    throw validationError("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
  }
  tools.forEach((t, i) => {
    const name = isObject(t) && isObject(t.function) ? t.function.name : undefined;
    if (typeof name === "string" && !FUNCTION_NAME.test(name)) {
      throw validationError(`Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`);
    }
  });
}

export function chatInput(body: JsonObject): ConverseInput {
  if (typeof body.n === "number" && body.n !== 1) throw validationError("n: only 1 choice is supported.");
  if (Array.isArray(body.messages) && body.messages.length === 0) throw validationError("[] is too short - 'messages'");
  const outputConfig = outputConfigOf(body.response_format);
  const rest: JsonObject = { ...body };
  for (const k of DROPPED) delete rest[k];
  const errors = new IssueList();
  const input = chatRequestToConverse(rest, errors);
  if (outputConfig) input.outputConfig = outputConfig;
  // OpenAI answers a conversation without a user turn of its own (a system prompt alone, or one opening with
  // the assistant); Converse must open with a user turn, which the translation leaves empty. It gets the
  // smallest non-blank text instead of a refusal naming a block the caller never sent.
  const opening = input.messages?.[0]?.content;
  if (opening?.length === 1 && "text" in opening[0] && opening[0].text === "") opening[0] = { text: NO_USER_TURN };
  return checkedInput(input, errors);
}

export async function chatCompletions(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  const body = await readJsonObject(call);
  const stream = body.stream === true;
  call.record.operation = stream ? "ChatCompletionsStream" : "ChatCompletions";
  const { served, ctx } = servedModel(call, catalog, body.model);
  checkTools(body);
  const input = chatInput(body);
  const answer = { id: newId("chatcmpl-"), model: body.model as string, reasoning: "field" as const };
  if (!stream) {
    const output = await served.model.converse(input, ctx);
    noteOutput(call.record, output);
    const text = JSON.stringify(chatResponseFromConverse(output, answer));
    call.res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": call.requestId, ...policyHeaders(call.record) });
    endResponse(call.res, text);
    return;
  }
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const iterator = chatStreamFromConverse(await openedEvents(call, served.model.converseStream(input, ctx)), answer)[Symbol.asyncIterator]();
  // openedEvents has waited for the model's first event, so a refusal (quota, guardrail) is already an HTTP error.
  let next = await iterator.next();
  startSse(call, { "x-request-id": call.requestId, ...policyHeaders(call.record) });
  try {
    for (; !next.done; next = await iterator.next()) {
      const { usage, ...chunk } = next.value;
      const payload = includeUsage ? { ...chunk, usage: null } : chunk;
      if (!writeSse(call, { data: payload })) return;
      if (usage && includeUsage) writeSse(call, { data: { ...chunk, choices: [], usage } });
    }
  } catch (err) {
    return sendOpenAIError(call, err);
  }
  writeSse(call, { data: "[DONE]" });
  call.res.end();
}
