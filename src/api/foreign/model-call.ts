// What the OpenAI and Anthropic front doors share: the JSON body, the served model a `model` field names
// (the registry's policy-wrapped model, exactly as Converse gets it), the converted request checked as
// Converse checks it, and a stream of the model's events noted in the call record and written as SSE.
import { randomBytes } from "node:crypto";
import { withShutdown } from "../../core/abort.js";
import { BedrockError, validationError } from "../../core/errors.js";
import type { ModelCatalog, ServedModel } from "../../core/model-info.js";
import type { CallContext, ConverseInput, StreamEvent } from "../../core/model.js";
import { noteStreamEvent } from "../../core/record-outcome.js";
import type { IssueList, JsonObject } from "../../formats/shared/check-json.js";
import { formatSseEvent, type SseEventOut } from "../../formats/sse/format.js";
import type { IncomingCall } from "../../server/call-context.js";
import { validateConversation } from "../../service-model/validate-conversation.js";

export const newId = (prefix: string): string => `${prefix}${randomBytes(12).toString("hex")}`;

/** The request body as a JSON object, or a ValidationException. */
export async function readJsonObject(call: IncomingCall): Promise<JsonObject> {
  const text = (await call.readBody()).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationError("The request body is not valid JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw validationError("The request body must be a JSON object.");
  return parsed as JsonObject;
}

/**
 * The served model named by the body's `model`, noted in the record; a ResourceNotFoundException if none.
 * `alias`: the door's own names for served ids (the Anthropic door's `claude-…` names), asked when the catalogue
 * does not serve `model` as it is.
 */
export function servedModel(
  call: IncomingCall, catalog: ModelCatalog, model: unknown, alias?: (catalog: ModelCatalog, model: string) => string | undefined,
): { served: ServedModel; ctx: CallContext } {
  if (typeof model !== "string" || model === "") throw validationError("model: a model id is required.");
  const record = call.record;
  record.requestedModelId = model;
  let served = catalog.resolve(model);
  if (!served && alias) {
    const id = alias(catalog, model);
    if (id !== undefined) served = catalog.resolve(id);
  }
  if (!served) throw new BedrockError("ResourceNotFoundException", `The model '${model}' does not exist or is not served here.`);
  record.modelId = served.info.id;
  record.provider = served.info.provider;
  record.upstreamModel = served.info.model ?? served.info.id;
  return { served, ctx: withShutdown(call.contextFor(model), call.shutdown) };
}

/** Problems found while converting become one ValidationException; the input is checked as Converse checks it. */
export function checkedInput(input: ConverseInput, errors: IssueList): ConverseInput {
  if (errors.errors.length) throw validationError(errors.errors.join("; "));
  validateConversation(input);
  return input;
}

/** The model's events, each noted in the call record (usage, stop reason) as ConverseStream notes them. */
export async function* notedEvents(call: IncomingCall, events: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
  let first = true;
  for await (const event of events) {
    if (first) {
      call.record.timeToFirstTokenMs = Number((process.hrtime.bigint() - call.startedAt) / 1_000_000n);
      first = false;
    }
    for (const [type, payload] of Object.entries(event)) if (payload !== undefined) noteStreamEvent(call.record, type, payload);
    yield event;
  }
}

/**
 * The model's noted events, once the first has arrived. A refusal (quota, guardrail, an upstream error before
 * any output) throws here, before the front door writes its status line, so the client gets it as an HTTP
 * error: an SDK retries a 429 it sees as a status, never one written inside a 200 stream. A door's own first
 * chunk (OpenAI's role chunk) is made without asking the model, so awaiting that would not be enough.
 */
export async function openedEvents(call: IncomingCall, events: AsyncIterable<StreamEvent>): Promise<AsyncIterable<StreamEvent>> {
  const rest = notedEvents(call, events)[Symbol.asyncIterator]();
  const first = await rest.next();
  return replayFirst(first, rest);
}

async function* replayFirst<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    if (first.done) return;
    yield first.value;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    // A reader that stops early (the client left) releases the model's stream too.
    await rest.return?.();
  }
}

/** Starts an SSE response. */
export function startSse(call: IncomingCall, headers: Record<string, string> = {}): void {
  call.record.status = 200;
  call.res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...headers });
}

/** Writes one SSE event; false once the client has gone. */
export function writeSse(call: IncomingCall, event: SseEventOut): boolean {
  if (call.res.destroyed || call.res.writableEnded) return false;
  call.res.write(formatSseEvent(event));
  return true;
}
