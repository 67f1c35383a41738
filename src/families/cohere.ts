// Cohere Command R / R+ (`cohere.command-r*`, DIGEST §15.6): the chat body `{message, chat_history,
// preamble, documents, tools, tool_results, …}` in, `{response_id, text, generation_id, chat_history,
// finish_reason, tool_calls?}` out; streams as Cohere's chat events.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import { cohereFromConverse, cohereToChunks, type CohereRequestEcho } from "./cohere/from-converse.js";
import { cohereToConverse } from "./cohere/to-converse.js";
import type { Family, InvokeCall } from "./family.js";
import { isObject, type JsonObject, malformed } from "./native-body.js";

// The response repeats the request's history; kept per call, which the operation passes to every step.
const echoes = new WeakMap<InvokeCall, CohereRequestEcho>();
const NO_ECHO: CohereRequestEcho = { history: [], message: "" };

function toConverse(body: unknown, call: InvokeCall): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const input = cohereToConverse(body);
  echoes.set(call, { history: (body.chat_history as JsonObject[] | undefined) ?? [], message: body.message as string });
  return input;
}

const fromConverse = (output: ConverseOutput, call: InvokeCall): unknown =>
  cohereFromConverse(output, echoes.get(call) ?? NO_ECHO);

const toChunks = (events: AsyncIterable<StreamEvent>, call: InvokeCall): AsyncIterable<Record<string, unknown>> =>
  cohereToChunks(events, echoes.get(call) ?? NO_ECHO);

export const cohereFamily: Family = { name: "cohere", toConverse, fromConverse, toChunks };
