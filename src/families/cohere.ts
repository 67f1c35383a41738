// Cohere Command R / R+ (`cohere.command-r*`, DIGEST §15.6): the chat body `{message, chat_history,
// preamble, documents, tools, tool_results, …}` in, `{response_id, text, generation_id, chat_history,
// finish_reason, tool_calls?}` out; streams as Cohere's chat events.
import { isObject, type JsonObject } from "../formats/shared/check-json.js";
import { cohereFromConverse, cohereToChunks, type CohereRequestEcho } from "./cohere/from-converse.js";
import { cohereToConverse } from "./cohere/to-converse.js";
import type { Family } from "./family.js";
import { malformed } from "./native-body.js";

export const cohereFamily: Family = {
  name: "cohere",
  toConverse(body) {
    if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
    const input = cohereToConverse(body);
    // The response repeats the request's history.
    const echo: CohereRequestEcho = { history: (body.chat_history as JsonObject[] | undefined) ?? [], message: body.message as string };
    return {
      input,
      fromConverse: (output) => cohereFromConverse(output, echo),
      toChunks: (events) => cohereToChunks(events, echo),
    };
  },
};
