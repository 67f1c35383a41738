// POST /openai/v1/responses and /v1/responses, stateless: the body becomes the Chat Completions request it
// means (responses-request.ts), goes the chat door's way to the policy-wrapped model, and the answer is
// written as a `response` object or response.* SSE events (responses-answer.ts).
import type { ModelCatalog } from "../../core/model-info.js";
import { noteOutput } from "../../core/record-outcome.js";
import { chatResponseFromConverse, chatStreamFromConverse } from "../../formats/chat-completions/index.js";
import type { IncomingCall } from "../../server/call-context.js";
import { policyHeaders } from "../bedrock/respond.js";
import { newId, openedEvents, readJsonObject, servedModel, startSse, writeSse } from "../foreign/model-call.js";
import { chatInput } from "./chat-completions.js";
import { sendResponsesStreamError } from "./openai-errors.js";
import { chatBodyOfResponses } from "./responses-request.js";
import { echoedParams, responseEventsFromChat, responseFromChat } from "./responses-answer.js";
import { endResponse } from "../../server/end-response.js";

export async function responses(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  const body = await readJsonObject(call);
  const stream = body.stream === true;
  call.record.operation = stream ? "ResponsesStream" : "Responses";
  const { served, ctx } = servedModel(call, catalog, body.model);
  const { chat, kinds } = chatBodyOfResponses(body);
  const input = chatInput(chat);
  const id = newId("resp_");
  const model = body.model as string;
  const answer = { id: newId("chatcmpl-"), model, reasoning: "field" as const };
  if (!stream) {
    const output = await served.model.converse(input, ctx);
    noteOutput(call.record, output);
    const text = JSON.stringify(responseFromChat(chatResponseFromConverse(output, answer), id, model, echoedParams(body), kinds));
    call.res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": call.requestId, ...policyHeaders(call.record) });
    endResponse(call.res, text);
    return;
  }
  // openedEvents waits for the model's first event before the status line: a refusal is an HTTP error.
  const chunks = chatStreamFromConverse(await openedEvents(call, served.model.converseStream(input, ctx)), answer);
  const iterator = responseEventsFromChat(chunks, id, model, echoedParams(body), kinds)[Symbol.asyncIterator]();
  let next = await iterator.next();
  startSse(call, { "x-request-id": call.requestId, ...policyHeaders(call.record) });
  let sequence = 0;
  try {
    for (; !next.done; next = await iterator.next()) {
      sequence = Number(next.value.sequence_number) + 1;
      if (!writeSse(call, { event: String(next.value.type), data: next.value })) return;
    }
  } catch (err) {
    return sendResponsesStreamError(call, err, sequence);
  }
  call.res.end();
}
