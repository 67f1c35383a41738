// OpenAI-style bodies (`openai.gpt-oss-*`): a Chat Completions request in, a `chat.completion` out, and
// `chat.completion.chunk`s on streams (Bedrock "OpenAI models" page); the translation itself lives in
// formats/chat-completions. Bedrock names the answer after the request id and the model as addressed.
import { chatResponseFromConverse } from "../formats/chat-completions/response-from-converse.js";
import { chatStreamFromConverse } from "../formats/chat-completions/stream-from-converse.js";
import type { Family } from "./family.js";
import { openaiToConverse } from "./openai/to-converse.js";

export const openaiFamily: Family = {
  name: "openai",
  toConverse(body, call) {
    const answer = () => ({ id: `chatcmpl-${call.requestId.replaceAll("-", "")}`, model: call.modelId });
    return {
      input: openaiToConverse(body, call),
      fromConverse: (output) => chatResponseFromConverse(output, answer()),
      toChunks: (events) => chatStreamFromConverse(events, answer()),
    };
  },
};
