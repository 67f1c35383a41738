// Mistral text completion (`mistral-7b-instruct`, `mixtral-8x7b`, `mistral-large-2402`, `mistral-small`):
// `{prompt "<s>[INST] … [/INST]", max_tokens, stop, temperature, top_p, top_k}` → `{outputs:[{text, stop_reason}]}`.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../../core/model.js";
import { checkObject, checkValue, type JsonObject, type ObjectSchema } from "../../formats/shared/check-json.js";
import { ErrorList } from "../native-body.js";
import { Conversation, readReply } from "../../formats/converse/conversation.js";
import { parseInstPrompt } from "../shared/parse-inst-prompt.js";
import { stopOrLength } from "../shared/stop-reasons.js";
import { textChunks } from "../shared/text-stream.js";

const SCHEMA: ObjectSchema = {
  required: ["prompt"],
  properties: {
    prompt: { type: "string" },
    max_tokens: { type: "integer", min: 1 },
    stop: { type: "array" },
    temperature: { type: "number", min: 0, max: 1 },
    top_p: { type: "number", min: 0, max: 1 },
    top_k: { type: "integer", min: 0, max: 200 },
  },
};

export function textToConverse(body: JsonObject): ConverseInput {
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const stops = Array.isArray(body.stop) ? body.stop : [];
  stops.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/stop/${i}`)));
  errors.throwIfAny();

  const prompt = body.prompt as string;
  let conversation = parseInstPrompt(prompt);
  if (!conversation) {
    conversation = new Conversation();
    conversation.addText("user", prompt);
  }
  const input = conversation.toInput({
    maxTokens: body.max_tokens as number | undefined,
    temperature: body.temperature as number | undefined,
    topP: body.top_p as number | undefined,
    stopSequences: stops.length ? (stops as string[]) : undefined,
  });
  // Where Converse callers put Mistral's top_k.
  if (body.top_k !== undefined) input.additionalModelRequestFields = { top_k: body.top_k as number };
  return input;
}

export function textFromConverse(output: ConverseOutput): unknown {
  const reply = readReply(output);
  return { outputs: [{ text: reply.text, stop_reason: stopOrLength(reply.stopReason) }] };
}

export async function* textToChunks(events: AsyncIterable<StreamEvent>): AsyncIterable<Record<string, unknown>> {
  for await (const chunk of textChunks(events)) {
    yield { outputs: [{ text: chunk.text, stop_reason: chunk.end ? stopOrLength(chunk.end.stopReason) : null }] };
  }
}
