// Amazon Titan Text bodies through the AWS SDK: plain inputText, the "User: …\nBot:" dialogue convention,
// textGenerationConfig, streams, validation, CountTokens, and an OpenAI-compatible backend.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { chatStream } from "../fakes/openai-upstream.js";
import {
  ECHO, UPSTREAM, countTokens, invoke, invokeStream, malformed, rejection, startFamilyStack, withoutMetrics, type FamilyStack,
} from "./harness.js";

let stack: FamilyStack;
before(async () => (stack = await startFamilyStack()));
after(() => stack.close());

test("plain inputText is one user text: results with tokenCount and completionReason", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, ECHO.titan, { inputText: "Tell me about basalt" });
    assert.deepEqual(out, {
      inputTextTokenCount: 4,
      results: [{ tokenCount: 4, outputText: "Tell me about basalt", completionReason: "FINISH" }],
    });
  }
});

test("the User:/Bot: convention becomes turns; text before the first User: is the system prompt", async () => {
  const out = await invoke(stack.client, ECHO.titan, {
    inputText: "You are helpful.\nUser: first question\nBot: first answer\nUser: second question\nBot:",
  });
  assert.deepEqual(out, {
    inputTextTokenCount: 9,
    results: [{ tokenCount: 2, outputText: "second question", completionReason: "FINISH" }],
  });
});

test("textGenerationConfig: maxTokenCount → LENGTH, stopSequences → STOP_CRITERIA_MET", async () => {
  const cut = await invoke(stack.client, ECHO.titan, { inputText: "a b c d", textGenerationConfig: { maxTokenCount: 2, temperature: 0.1, topP: 0.5 } });
  assert.deepEqual(cut.results, [{ tokenCount: 2, outputText: "a b", completionReason: "LENGTH" }]);
  const stopped = await invoke(stack.client, ECHO.titan, { inputText: "a b | c", textGenerationConfig: { stopSequences: ["|"] } });
  assert.deepEqual(stopped.results, [{ tokenCount: 2, outputText: "a b ", completionReason: "STOP_CRITERIA_MET" }]);
});

test("stream: outputText fragments, counts and completionReason on the last chunk", async () => {
  const raw = await invokeStream(stack.client, ECHO.titan, { inputText: "titan streams text" });
  const { chunks, metrics } = withoutMetrics(raw);
  assert.deepEqual(chunks, [
    { outputText: "titan", index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount: null },
    { outputText: " streams", index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount: null },
    { outputText: " text", index: 0, totalOutputTextTokenCount: 3, completionReason: "FINISH", inputTextTokenCount: 3 },
  ]);
  assert.equal(metrics.outputTokenCount, 3);
});

test("invalid bodies: Bedrock's schema messages, nested pointers included", async () => {
  const cases: [unknown, string][] = [
    [{ textGenerationConfig: {} }, malformed("#: required key [inputText] not found")],
    [{ inputText: "x", maxTokens: 5 }, malformed("#: extraneous key [maxTokens] is not permitted")],
    [{ inputText: "x", textGenerationConfig: { max_tokens: 5 } }, malformed("#/textGenerationConfig: extraneous key [max_tokens] is not permitted")],
    [{ inputText: "x", textGenerationConfig: { topP: 2 } }, malformed("#/textGenerationConfig/topP: 2 is not less or equal to 1")],
    [{ inputText: "x", textGenerationConfig: { stopSequences: [1] } }, malformed("#/textGenerationConfig/stopSequences/0: expected type: String, found: Integer")],
  ];
  for (const [body, message] of cases) {
    const err = await rejection(invoke(stack.client, ECHO.titan, body));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.message, message);
  }
});

test("CountTokens counts the inputText as the turns it becomes", async () => {
  assert.equal(await countTokens(stack.client, ECHO.titan, { inputText: "User: count me\nBot:" }), 2);
  assert.equal(await countTokens(stack.client, ECHO.titan, { inputText: "five words in this text" }), 5);
});

test("OpenAI-compatible backend: dialogue turns go upstream as messages, the stream comes back as Titan chunks", async () => {
  stack.upstream.enqueue({ sse: chatStream({ text: ["Gran", "ite"], finishReason: "stop", usage: { prompt: 9, completion: 2 } }) });
  const raw = await invokeStream(stack.client, UPSTREAM.titan, { inputText: "User: name a rock\nBot:", textGenerationConfig: { maxTokenCount: 20 } });
  const { chunks } = withoutMetrics(raw);
  assert.equal(chunks.map((c) => c.outputText).join(""), "Granite");
  assert.deepEqual(chunks[chunks.length - 1], { outputText: "ite", index: 0, totalOutputTextTokenCount: 2, completionReason: "FINISH", inputTextTokenCount: 9 });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [{ role: "user", content: "name a rock" }]);
  assert.equal(body.max_tokens, 20);
});
