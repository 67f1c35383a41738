// Meta Llama bodies through the AWS SDK: the Llama 3 template read back into turns, Llama 2 [INST],
// untemplated prompts, images, streams, validation, CountTokens, and an OpenAI-compatible backend.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { completion } from "../fakes/openai-upstream.js";
import {
  ECHO, PNG_BASE64, UPSTREAM, countTokens, invoke, invokeStream, malformed, rejection, startFamilyStack, withoutMetrics,
  type FamilyStack,
} from "./harness.js";

let stack: FamilyStack;
before(async () => (stack = await startFamilyStack()));
after(() => stack.close());

const turn = (role: string, text: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n${text}<|eot_id|>`;
const llama3 = (...turns: string[]) => `<|begin_of_text|>${turns.join("")}<|start_header_id|>assistant<|end_header_id|>\n\n`;

test("Llama 3 template: the last user turn answers; system and history count as input", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, ECHO.llama, {
      prompt: llama3(turn("system", "Be brief."), turn("user", "first question"), turn("assistant", "first answer"), turn("user", "Hello Llama")),
      max_gen_len: 100, temperature: 0.5, top_p: 0.9,
    });
    assert.deepEqual(out, { generation: "Hello Llama", prompt_token_count: 8, generation_token_count: 2, stop_reason: "stop" });
  }
});

test("max_gen_len cuts the generation: stop_reason length", async () => {
  const out = await invoke(stack.client, ECHO.llama, { prompt: llama3(turn("user", "a b c d")), max_gen_len: 2 });
  assert.deepEqual(out, { generation: "a b", prompt_token_count: 4, generation_token_count: 2, stop_reason: "length" });
});

test("prompts outside the template are served as one user text; Llama 2 [INST] is read too", async () => {
  const plain = await invoke(stack.client, ECHO.llama, { prompt: "Just some text" });
  assert.equal(plain.generation, "Just some text");
  const broken = "<|start_header_id|>user<|end_header_id|>\n\nhi<|start_header_id|>";
  assert.equal((await invoke(stack.client, ECHO.llama, { prompt: broken })).generation, broken);
  const llama2 = await invoke(stack.client, ECHO.llama, {
    prompt: "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nFirst [/INST] Answer </s><s>[INST] How are you [/INST]",
  });
  assert.deepEqual(llama2, { generation: "How are you", prompt_token_count: 8, generation_token_count: 3, stop_reason: "stop" });
});

test("images go where <|image|> stands in the user turn", async () => {
  const out = await invoke(stack.client, ECHO.llama, {
    prompt: llama3(turn("user", "<|image|>Describe this")), images: [PNG_BASE64],
  });
  assert.equal(out.generation, "[image png 8 bytes]\nDescribe this");
});

test("stream: one fragment per chunk, prompt_token_count on the first (as Bedrock sends it), stop_reason on the last", async () => {
  for (const client of [stack.client, stack.h1]) {
    const raw = await invokeStream(client, ECHO.llama, { prompt: llama3(turn("system", "sys"), turn("user", "llama streams here")) });
    const { chunks, metrics } = withoutMetrics(raw);
    assert.deepEqual(chunks, [
      { generation: "llama", prompt_token_count: 4, generation_token_count: 1, stop_reason: null },
      { generation: " streams", prompt_token_count: null, generation_token_count: 2, stop_reason: null },
      { generation: " here", prompt_token_count: null, generation_token_count: 3, stop_reason: "stop" },
    ]);
    assert.equal(metrics.inputTokenCount, 4);
    assert.equal(metrics.outputTokenCount, 3);
  }
});

test("invalid bodies: Bedrock's schema messages", async () => {
  const cases: [unknown, string][] = [
    [{ max_gen_len: 10 }, malformed("#: required key [prompt] not found")],
    [{ prompt: "hi", max_tokens: 10 }, malformed("#: extraneous key [max_tokens] is not permitted")],
    [{ prompt: 42 }, malformed("#/prompt: expected type: String, found: Integer")],
    [{ prompt: "hi", temperature: 1.5 }, malformed("#/temperature: 1.5 is not less or equal to 1")],
    [{ prompt: "hi", images: [7] }, malformed("#/images/0: expected type: String, found: Integer")],
  ];
  for (const [body, message] of cases) {
    const err = await rejection(invoke(stack.client, ECHO.llama, body));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.$metadata?.httpStatusCode, 400);
    assert.equal(err.message, message);
  }
  const streamErr = await rejection(invokeStream(stack.client, ECHO.llama, {}));
  assert.equal(streamErr.message, malformed("#: required key [prompt] not found"));
});

test("CountTokens counts the turns the prompt holds", async () => {
  assert.equal(await countTokens(stack.client, ECHO.llama, { prompt: llama3(turn("system", "two words"), turn("user", "three more words")) }), 5);
  const err = await rejection(countTokens(stack.client, ECHO.llama, { prompt: 1 }));
  assert.equal(err.name, "ValidationException");
});

test("OpenAI-compatible backend: the template becomes chat messages, the reply a generation", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Hi from upstream", finishReason: "length", usage: { prompt: 12, completion: 3 } }) });
  const out = await invoke(stack.client, UPSTREAM.llama, {
    prompt: llama3(turn("system", "Be brief."), turn("user", "Hello")), max_gen_len: 3, temperature: 0.2,
  });
  assert.deepEqual(out, { generation: "Hi from upstream", prompt_token_count: 12, generation_token_count: 3, stop_reason: "length" });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello" }]);
  assert.equal(body.max_tokens, 3);
  assert.equal(body.temperature, 0.2);
});
