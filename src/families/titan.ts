// Amazon Titan Text (`amazon.titan-text-*`, DIGEST §15.3): `{inputText, textGenerationConfig}` in,
// `{inputTextTokenCount, results:[{tokenCount, outputText, completionReason}]}` out.
//
// Titan's documented conversational convention, "User: …\nBot: …\nUser: …\nBot:", is read back into turns
// (text before the first "User:" becomes the system prompt) so chat backends see a conversation; any
// other inputText is served as one user text, as written.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type { Family } from "./family.js";
import { checkObject, checkValue, isObject, type ObjectSchema } from "../formats/shared/check-json.js";
import { ErrorList, malformed } from "./native-body.js";
import { Conversation, readReply } from "../formats/converse/conversation.js";
import { titanReason } from "./shared/stop-reasons.js";
import { textChunks } from "./shared/text-stream.js";

const SCHEMA: ObjectSchema = {
  required: ["inputText"],
  properties: { inputText: { type: "string" }, textGenerationConfig: { type: "object" } },
};

const CONFIG_SCHEMA: ObjectSchema = {
  properties: {
    temperature: { type: "number", min: 0, max: 1 },
    topP: { type: "number", min: 0, max: 1 },
    maxTokenCount: { type: "integer", min: 0 },
    stopSequences: { type: "array" },
  },
};

const SPEAKER = /^(User|Bot):/gm;
const ENDS_WITH_BOT = /(^|\n)Bot:\s*$/;

/** "User: …\nBot:" turns, or undefined when the text does not follow the convention. */
export function parseTitanDialogue(text: string): Conversation | undefined {
  if (!ENDS_WITH_BOT.test(text)) return undefined;
  const marks = [...text.matchAll(SPEAKER)];
  if (!marks.some((m) => m[1] === "User")) return undefined;
  const conversation = new Conversation();
  conversation.addSystem(text.slice(0, marks[0].index).trim());
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].index : text.length;
    const said = text.slice(m.index + m[0].length, end).trim();
    conversation.addText(m[1] === "User" ? "user" : "assistant", said);
  });
  return conversation;
}

function toConverse(body: unknown): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const cfg = isObject(body.textGenerationConfig) ? body.textGenerationConfig : {};
  errors.add(...checkObject(cfg, CONFIG_SCHEMA, "#/textGenerationConfig"));
  const stops = Array.isArray(cfg.stopSequences) ? cfg.stopSequences : [];
  stops.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/textGenerationConfig/stopSequences/${i}`)));
  errors.throwIfAny();

  const inputText = body.inputText as string;
  let conversation = parseTitanDialogue(inputText);
  if (!conversation) {
    conversation = new Conversation();
    conversation.addText("user", inputText);
  }
  const maxTokenCount = cfg.maxTokenCount as number | undefined;
  return conversation.toInput({
    maxTokens: maxTokenCount ? maxTokenCount : undefined,
    temperature: cfg.temperature as number | undefined,
    topP: cfg.topP as number | undefined,
    stopSequences: stops.length ? (stops as string[]) : undefined,
  });
}

function fromConverse(output: ConverseOutput): unknown {
  const reply = readReply(output);
  return {
    inputTextTokenCount: reply.usage.inputTokens,
    results: [{ tokenCount: reply.usage.outputTokens, outputText: reply.text, completionReason: titanReason(reply.stopReason) }],
  };
}

// Counts and reason are known only at the end of a Converse stream: they are null until the last chunk.
async function* toChunks(events: AsyncIterable<StreamEvent>): AsyncIterable<Record<string, unknown>> {
  for await (const chunk of textChunks(events)) {
    yield {
      outputText: chunk.text,
      index: 0,
      totalOutputTextTokenCount: chunk.end ? chunk.end.usage.outputTokens : null,
      completionReason: chunk.end ? titanReason(chunk.end.stopReason) : null,
      inputTextTokenCount: chunk.end ? chunk.end.usage.inputTokens : null,
    };
  }
}

export const titanFamily: Family = { name: "titan", toConverse: (body) => ({ input: toConverse(body), fromConverse, toChunks }) };
