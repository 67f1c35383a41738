// Anthropic Claude Messages on Bedrock (DIGEST §15.1): request, response and stream translators live in
// src/families/anthropic/, one direction per file.
import type { Family } from "./family.js";
import { anthropicFromConverse } from "./anthropic/from-converse.js";
import { anthropicToChunks } from "./anthropic/to-chunks.js";
import { anthropicToConverse } from "./anthropic/to-converse.js";

export const anthropicFamily: Family = {
  name: "anthropic",
  toConverse: anthropicToConverse,
  fromConverse: anthropicFromConverse,
  toChunks: anthropicToChunks,
};
