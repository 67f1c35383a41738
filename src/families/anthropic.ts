// Anthropic Claude Messages on Bedrock (DIGEST §15.1): the translation lives in formats/anthropic-messages;
// what is Bedrock's own is the request schema (anthropic/to-converse.ts), the message id and model name.
import { anthropicResponseFromConverse } from "../formats/anthropic-messages/response-from-converse.js";
import { anthropicStreamFromConverse } from "../formats/anthropic-messages/stream-from-converse.js";
import type { Family } from "./family.js";
import { messageId, modelName } from "./anthropic/message-meta.js";
import { anthropicToConverse } from "./anthropic/to-converse.js";
import { chunksWithClaudeToolIds, withClaudeToolIds } from "./anthropic/tool-ids.js";
import { withEarlyUsage } from "./anthropic/early-usage.js";

export const anthropicFamily: Family = {
  name: "anthropic",
  toConverse(body, call) {
    const input = anthropicToConverse(body);
    const answer = () => ({
      id: messageId(), model: modelName(call.modelId), stopSequences: input.inferenceConfig?.stopSequences, guardrailStop: "guardrail_intervened" as const,
    });
    return {
      input,
      fromConverse: (output) => withClaudeToolIds(anthropicResponseFromConverse(output, answer())),
      toChunks: (events, early) => withEarlyUsage(chunksWithClaudeToolIds(anthropicStreamFromConverse(events, answer())), early),
    };
  },
};
