// OpenAI-style bodies (`openai.gpt-oss-*`): a Chat Completions request in, a `chat.completion` out, and
// `chat.completion.chunk`s on streams (Bedrock "OpenAI models" page).
import type { Family } from "./family.js";
import { openaiFromConverse, openaiToChunks } from "./openai/from-converse.js";
import { openaiToConverse } from "./openai/to-converse.js";

export const openaiFamily: Family = {
  name: "openai",
  toConverse: openaiToConverse,
  fromConverse: openaiFromConverse,
  toChunks: openaiToChunks,
};
