// Mistral (`mistral.*`, DIGEST §15.5) speaks two bodies: the chat format of Mistral Large 2407+ when the
// body has `messages`, text completion (`prompt`) otherwise. The style is read from the request and kept
// on the call, so the answer comes back in the same style.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type { Family, InvokeCall } from "./family.js";
import { chatFromConverse, chatToChunks, chatToConverse } from "./mistral/chat.js";
import { textFromConverse, textToChunks, textToConverse } from "./mistral/text-completion.js";
import { isObject, malformed } from "./native-body.js";

// Which style each call used; keyed by the call object the operation passes to every step.
const chatCalls = new WeakSet<InvokeCall>();

function toConverse(body: unknown, call: InvokeCall): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  if (body.messages === undefined) return textToConverse(body);
  chatCalls.add(call);
  return chatToConverse(body);
}

function fromConverse(output: ConverseOutput, call: InvokeCall): unknown {
  return chatCalls.has(call) ? chatFromConverse(output, call) : textFromConverse(output);
}

function toChunks(events: AsyncIterable<StreamEvent>, call: InvokeCall): AsyncIterable<Record<string, unknown>> {
  return chatCalls.has(call) ? chatToChunks(events, call) : textToChunks(events);
}

export const mistralFamily: Family = { name: "mistral", toConverse, fromConverse, toChunks };
