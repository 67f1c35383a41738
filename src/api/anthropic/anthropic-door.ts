// The Anthropic Messages front door: POST /anthropic/v1/messages and /v1/messages (plain and SSE), and
// …/messages/count_tokens, over the served models exactly as Converse reaches them (policy-wrapped), so
// scripts, cache, quotas, guardrails and the ledger apply unchanged. The wire format is
// formats/anthropic-messages, in the front door's direction. Callers authenticate with x-api-key or Bearer.
import { BedrockError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import { noteOutput } from "../../core/record-outcome.js";
import { anthropicRequestToConverse, anthropicResponseFromConverse, anthropicStreamFromConverse } from "../../formats/anthropic-messages/index.js";
import { IssueList, isObject, type JsonObject } from "../../formats/shared/check-json.js";
import type { IncomingCall } from "../../server/call-context.js";
import { policyHeaders } from "../bedrock/respond.js";
import type { FrontDoor } from "../../server/dispatch.js";
import { bedrockIdOfClaudeName } from "./claude-model-names.js";
import { checkedInput, newId, openedEvents, readJsonObject, servedModel, startSse, writeSse } from "../foreign/model-call.js";
import { sendAnthropicError, withDetails } from "./anthropic-errors.js";
import { withEarlyUsage } from "../../families/anthropic/early-usage.js";
import { knownPromptTokens } from "../../providers/echo/index.js";
import { listAnthropicModels, retrieveAnthropicModel } from "./anthropic-models.js";
import { endResponse } from "../../server/end-response.js";

const MESSAGES = new Set(["/anthropic/v1/messages", "/v1/messages"]);
const COUNT_TOKENS = new Set(["/anthropic/v1/messages/count_tokens", "/v1/messages/count_tokens"]);
// /v1/models is routed to the OpenAI door, which answers an Anthropic SDK in this door's shape.
const MODELS = "/anthropic/v1/models";

export interface AnthropicDoorOptions {
  catalog: ModelCatalog;
}

export function createAnthropicDoor(opts: AnthropicDoorOptions): FrontDoor {
  return {
    name: "anthropic",
    authentication: { apiKeyHeader: "x-api-key" },
    async serve(call) {
      try {
        const post = call.req.method === "POST";
        if (post && MESSAGES.has(call.path)) return await messages(call, opts.catalog);
        if (post && COUNT_TOKENS.has(call.path)) return await countTokens(call, opts.catalog);
        if (call.req.method === "GET" && call.path === MODELS) return await listAnthropicModels(call, opts.catalog);
        if (call.req.method === "GET" && call.path.startsWith(`${MODELS}/`)) {
          return await retrieveAnthropicModel(call, opts.catalog, call.path.slice(MODELS.length + 1));
        }
        call.record.operation = "Unknown";
        await call.readBody().catch(() => undefined);
        sendAnthropicError(call, new BedrockError("ResourceNotFoundException", `${call.req.method} ${call.path} is not a Messages API route.`));
      } catch (err) {
        sendAnthropicError(call, err);
      }
    },
    async refuse(call, error) {
      await call.readBody().catch(() => undefined);
      sendAnthropicError(call, error);
    },
  };
}

/** The body's Converse input; top-level keys the Messages API owns (model, stream, metadata…) are checked here. */
function converseInput(body: JsonObject, requireMaxTokens: boolean) {
  const errors = new IssueList();
  if (requireMaxTokens && (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)) {
    errors.add("max_tokens: Field required (a positive integer).");
  }
  if (body.stream !== undefined && typeof body.stream !== "boolean") errors.add("stream: Input should be a valid boolean.");
  checkSampling(body, errors);
  if (requireMaxTokens) checkThinking(body, errors);
  const input = anthropicRequestToConverse(body, errors, { messagesApi: true });
  if (!requireMaxTokens) delete input.inferenceConfig;
  return checkedInput(input, errors);
}

/** The sampling ranges the Messages API enforces (0–1 both), in its words. */
function checkSampling(body: JsonObject, errors: IssueList): void {
  for (const key of ["temperature", "top_p"] as const) {
    const v = body[key];
    if (v === undefined) continue;
    if (typeof v !== "number") errors.add(`${key}: Input should be a valid number`);
    else if (v < 0) errors.add(`${key}: Input should be greater than or equal to 0`);
    else if (v > 1) errors.add(`${key}: Input should be less than or equal to 1`);
  }
}

// Extended thinking's budget: at least 1,024 tokens, and below max_tokens (the Messages API's checks).
const MIN_THINKING_BUDGET = 1024;

function checkThinking(body: JsonObject, errors: IssueList): void {
  const thinking = body.thinking;
  if (!isObject(thinking) || thinking.type !== "enabled") return;
  const budget = thinking.budget_tokens;
  if (typeof budget !== "number" || !Number.isInteger(budget)) {
    errors.add("thinking.enabled.budget_tokens: Field required (an integer).");
  } else if (budget < MIN_THINKING_BUDGET) {
    errors.add(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
  } else if (typeof body.max_tokens === "number" && budget >= body.max_tokens) {
    errors.add("`max_tokens` must be greater than `thinking.budget_tokens`.");
  }
}

/**
 * Message threads (the `thread` field, a beta in which the server keeps the conversation) are not kept here:
 * refused as the API refuses a request it cannot thread, so the SDKs (their tool runner threads by default) send
 * the whole conversation again, unthreaded. Ignoring the field would run a continued turn without its history.
 */
function refuseThread(body: JsonObject): void {
  if (body.thread === undefined) return;
  throw withDetails(
    new BedrockError("ValidationException", "thread: message threads are not supported here; send the whole conversation without `thread`."),
    { error_code: "thread_unsupported_request", unsupported: ["thread"] },
  );
}

async function messages(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  const body = await readJsonObject(call);
  refuseThread(body);
  const stream = body.stream === true;
  call.record.operation = stream ? "MessagesStream" : "Messages";
  const { served, ctx } = servedModel(call, catalog, body.model, bedrockIdOfClaudeName);
  const input = converseInput(body, true);
  const answer = { id: newId("msg_"), model: body.model as string, stopSequences: input.inferenceConfig?.stopSequences };
  if (!stream) {
    const output = await served.model.converse(input, ctx);
    noteOutput(call.record, output);
    const text = JSON.stringify(anthropicResponseFromConverse(output, answer));
    call.res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": call.requestId, ...policyHeaders(call.record) });
    endResponse(call.res, text);
    return;
  }
  // message_start carries the prompt's tokens, as Anthropic's does, wherever they are known before the answer.
  const known = knownPromptTokens(served.info, input);
  const events = withEarlyUsage(
    anthropicStreamFromConverse(await openedEvents(call, served.model.converseStream(input, ctx)), answer),
    known === undefined ? undefined : { inputTokens: known },
  );
  const iterator = events[Symbol.asyncIterator]();
  // The first event is awaited before the status line, so a refusal (quota, guardrail, bad model) is an HTTP error.
  const first = await iterator.next();
  startSse(call, { "request-id": call.requestId, ...policyHeaders(call.record) });
  if (!first.done) {
    writeSse(call, { event: first.value.type, data: first.value });
    if (first.value.type === "message_start") writeSse(call, { event: "ping", data: { type: "ping" } });
  }
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (!writeSse(call, { event: next.value.type, data: next.value })) break;
    }
  } catch (err) {
    return sendAnthropicError(call, err);
  }
  call.res.end();
}

async function countTokens(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  call.record.operation = "CountTokens";
  const body = await readJsonObject(call);
  const { served, ctx } = servedModel(call, catalog, body.model, bedrockIdOfClaudeName);
  const input = converseInput(body, false);
  const inputTokens = await served.model.countTokens({
    converse: {
      messages: input.messages,
      ...(input.system && { system: input.system }),
      ...(input.toolConfig && { toolConfig: input.toolConfig }),
      ...(input.additionalModelRequestFields && { additionalModelRequestFields: input.additionalModelRequestFields }),
    },
  }, ctx);
  call.record.inputTokens = inputTokens;
  const text = JSON.stringify({ input_tokens: inputTokens });
  call.res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": call.requestId });
  call.res.end(text);
}
