// Converse answers → Cohere Command R responses: `{response_id, text, generation_id, chat_history,
// finish_reason, tool_calls?, meta}`, and on streams `stream-start`, `text-generation`,
// `tool-calls-generation`, then `stream-end` holding the whole response.
import { randomUUID } from "node:crypto";
import type { ConverseOutput, StreamEvent } from "../../core/model.js";
import type { StopReason } from "../../core/shapes.generated.js";
import type { JsonObject } from "../../formats/shared/check-json.js";
import { readReply } from "../../formats/converse/conversation.js";
import { parseArguments, readStream } from "../../formats/converse/read-stream.js";
import { cohereReason } from "../shared/stop-reasons.js";

/** What the response echoes from the request: the history and the message it ends with. */
export interface CohereRequestEcho { history: JsonObject[]; message: string }

interface CohereToolCall { name: string; parameters: unknown }

function response(
  echo: CohereRequestEcho, text: string, toolCalls: CohereToolCall[], stopReason: StopReason,
  usage: { inputTokens: number; outputTokens: number }, generationId: string,
): JsonObject {
  const finish = cohereReason(stopReason);
  const reply: JsonObject = { role: "CHATBOT", message: text, ...(toolCalls.length && { tool_calls: toolCalls }) };
  return {
    response_id: randomUUID(),
    text,
    generation_id: generationId,
    chat_history: [...echo.history, { role: "USER", message: echo.message }, reply],
    finish_reason: finish,
    ...(toolCalls.length && { tool_calls: toolCalls }),
    meta: {
      api_version: { version: "1" },
      billed_units: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      tokens: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
    },
  };
}

export function cohereFromConverse(output: ConverseOutput, echo: CohereRequestEcho): unknown {
  const reply = readReply(output);
  const calls = reply.toolCalls.map((t) => ({ name: t.name, parameters: t.input }));
  return response(echo, reply.text, calls, reply.stopReason, reply.usage, randomUUID());
}

export async function* cohereToChunks(events: AsyncIterable<StreamEvent>, echo: CohereRequestEcho): AsyncIterable<Record<string, unknown>> {
  const generationId = randomUUID();
  yield { is_finished: false, event_type: "stream-start", generation_id: generationId };
  let text = "";
  const calls: CohereToolCall[] = [];
  for await (const piece of readStream(events)) {
    if (piece.kind === "text") {
      text += piece.text;
      yield { is_finished: false, event_type: "text-generation", text: piece.text };
    } else if (piece.kind === "toolStop") {
      calls.push({ name: piece.name, parameters: parseArguments(piece.input) });
    } else if (piece.kind === "end") {
      if (calls.length) yield { is_finished: false, event_type: "tool-calls-generation", text, tool_calls: calls };
      const full = response(echo, text, calls, piece.stopReason, piece.usage, generationId);
      yield { is_finished: true, event_type: "stream-end", finish_reason: full.finish_reason, response: full };
    }
  }
}
