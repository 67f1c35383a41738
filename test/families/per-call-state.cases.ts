// Families keep what an answer needs from its request per call (the returned NativeRequest), never in module
// state: requests read together and answered in any order each get their own answer.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConverseOutput, StreamEvent } from "../../src/core/model.js";
import { cohereFamily } from "../../src/families/cohere.js";
import { mistralFamily } from "../../src/families/mistral.js";

const output = (text: string): ConverseOutput => ({
  output: { message: { role: "assistant", content: [{ text }] } },
  stopReason: "end_turn",
  usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
  metrics: { latencyMs: 1 },
});

async function* events(text: string): AsyncIterable<StreamEvent> {
  yield { messageStart: { role: "assistant" } };
  yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } };
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason: "end_turn" } };
  yield { metadata: { usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 }, metrics: { latencyMs: 1 } } };
}

async function collect(chunks: AsyncIterable<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

test("Mistral: a chat request and a text request read together are each answered in their own style", async () => {
  const call = { modelId: "mistral.mistral-large-2407-v1:0", requestId: "11111111-2222-3333-4444-555555555555" };
  const chat = mistralFamily.toConverse({ messages: [{ role: "user", content: "hi" }] }, call);
  const text = mistralFamily.toConverse({ prompt: "<s>[INST] hi [/INST]" }, call);
  assert.deepEqual(text.fromConverse(output("a")), { outputs: [{ text: "a", stop_reason: "stop" }] });
  assert.equal((chat.fromConverse(output("b")) as { object: string }).object, "chat.completion");
  const [chatChunks, textChunks] = await Promise.all([collect(chat.toChunks(events("c"))), collect(text.toChunks(events("d")))]);
  assert.equal(chatChunks.at(-1)?.object, "chat.completion.chunk");
  assert.deepEqual(textChunks, [{ outputs: [{ text: "d", stop_reason: "stop" }] }]);
});

test("Cohere: each answer repeats its own request's history", async () => {
  const call = { modelId: "cohere.command-r-v1:0", requestId: "r" };
  const first = cohereFamily.toConverse({ message: "one", chat_history: [{ role: "USER", message: "zero" }] }, call);
  const second = cohereFamily.toConverse({ message: "two" }, call);
  const history = (answer: unknown) => (answer as { chat_history: unknown[] }).chat_history;
  assert.deepEqual(history(second.fromConverse(output("x"))), [{ role: "USER", message: "two" }, { role: "CHATBOT", message: "x" }]);
  assert.deepEqual(history(first.fromConverse(output("y"))), [
    { role: "USER", message: "zero" }, { role: "USER", message: "one" }, { role: "CHATBOT", message: "y" },
  ]);
  const end = (await collect(first.toChunks(events("z")))).at(-1) as { response: { chat_history: unknown[] } };
  assert.equal(end.response.chat_history.length, 3);
});
