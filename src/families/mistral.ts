// Mistral (`mistral.*`, DIGEST §15.5) speaks two bodies: the chat format of Mistral Large 2407+ when the
// body has `messages`, text completion (`prompt`) otherwise. The style is read from the request, and the
// answer comes back in the same style.
import { isObject } from "../formats/shared/check-json.js";
import type { Family } from "./family.js";
import { chatFromConverse, chatToChunks, chatToConverse } from "./mistral/chat.js";
import { textFromConverse, textToChunks, textToConverse } from "./mistral/text-completion.js";
import { malformed } from "./native-body.js";

export const mistralFamily: Family = {
  name: "mistral",
  toConverse(body, call) {
    if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
    if (body.messages === undefined) return { input: textToConverse(body), fromConverse: textFromConverse, toChunks: textToChunks };
    return {
      input: chatToConverse(body),
      fromConverse: (output) => chatFromConverse(output, call),
      toChunks: (events) => chatToChunks(events, call),
    };
  },
};
