// Meta Llama (`meta.llama3-*`, `meta.llama4-*`, DIGEST §15.2): a chat-templated `prompt` in,
// `{generation, prompt_token_count, generation_token_count, stop_reason}` out. The prompt is read back into
// turns (Llama 3 headers, or Llama 2's [INST]); a prompt in neither template is served as one user text.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type { EarlyUsage, Family } from "./family.js";
import { attachImages, parseLlamaPrompt } from "./llama/parse-llama-prompt.js";
import { checkObject, checkValue, isObject, type ObjectSchema } from "../formats/shared/check-json.js";
import { ErrorList, malformed } from "./native-body.js";
import { Conversation, readReply, sniffImageFormat } from "../formats/converse/conversation.js";
import { parseInstPrompt } from "./shared/parse-inst-prompt.js";
import { stopOrLength } from "./shared/stop-reasons.js";
import { textChunks } from "./shared/text-stream.js";

const SCHEMA: ObjectSchema = {
  required: ["prompt"],
  properties: {
    prompt: { type: "string" },
    max_gen_len: { type: "integer", min: 1 },
    temperature: { type: "number", min: 0, max: 1 },
    top_p: { type: "number", min: 0, max: 1 },
    images: { type: "array" },
  },
};

// Standard alphabet, padded: what Llama 3.2's `images` carries (issue 19 item 9: invalid base64 and
// non-image bytes were taken as png).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why an `images` item is not a base64 png/jpeg/gif/webp, as a native-body error line; undefined when it is. */
function imageProblem(img: unknown, i: number): string | undefined {
  if (typeof img !== "string") return undefined;
  if (img.length === 0 || img.length % 4 !== 0 || !BASE64.test(img)) return `#/images/${i}: the image is not valid base64`;
  if (!sniffImageFormat(img)) return `#/images/${i}: the image is not a png, jpeg, gif or webp image`;
  return undefined;
}

function toConverse(body: unknown): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const images = Array.isArray(body.images) ? body.images : [];
  images.forEach((img, i) => errors.add(checkValue(img, { type: "string" }, `#/images/${i}`) ?? imageProblem(img, i)));
  errors.throwIfAny();

  const prompt = body.prompt as string;
  let conversation = parseLlamaPrompt(prompt, images as string[]);
  if (!conversation) {
    conversation = parseInstPrompt(prompt);
    if (!conversation) {
      conversation = new Conversation();
      conversation.addText("user", prompt);
    }
    if (images.length) attachImages(conversation, images as string[]);
  }
  return conversation.toInput({
    maxTokens: body.max_gen_len as number | undefined,
    temperature: body.temperature as number | undefined,
    topP: body.top_p as number | undefined,
  });
}

function fromConverse(output: ConverseOutput): unknown {
  const reply = readReply(output);
  return {
    generation: reply.text,
    prompt_token_count: reply.usage.inputTokens,
    generation_token_count: reply.usage.outputTokens,
    stop_reason: stopOrLength(reply.stopReason),
  };
}

// The real service sends prompt_token_count on the first chunk (null after it). Converse reports usage only at
// the end of a stream, so when the count is not known up front (`early`) it arrives on the last chunk;
// generation_token_count runs up one per chunk until then.
async function* toChunks(events: AsyncIterable<StreamEvent>, early?: EarlyUsage): AsyncIterable<Record<string, unknown>> {
  let first = true;
  for await (const chunk of textChunks(events)) {
    const promptTokens = early ? (first ? early.inputTokens : null) : chunk.end ? chunk.end.usage.inputTokens : null;
    first = false;
    yield {
      generation: chunk.text,
      prompt_token_count: promptTokens,
      generation_token_count: chunk.end ? chunk.end.usage.outputTokens : chunk.count,
      stop_reason: chunk.end ? stopOrLength(chunk.end.stopReason) : null,
    };
  }
}

export const llamaFamily: Family = { name: "llama", toConverse: (body) => ({ input: toConverse(body), fromConverse, toChunks }) };
