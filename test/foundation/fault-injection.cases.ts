// The echo model's fault lines (/error, /error-after, /slow) as documented in docs/foundation-tests.md, through
// the SDK: where they apply, what Converse and CountTokens make of them, their defaults and edges.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, InternalServerException, ModelErrorException,
  ThrottlingException, type ConverseStreamOutput, type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { sdkSession } from "../helpers/sdk-session.js";

const say = (...texts: string[]) => [{ role: "user" as const, content: texts.map((text) => ({ text })) }];

const session = sdkSession();

const converse = (messages: Message[], extra: object = {}) =>
  session.client.send(new ConverseCommand({ modelId: "basalt.echo", messages, ...extra }));

/** Event names of a stream, and the error that ended it (if any). */
async function streamOf(messages: ReturnType<typeof say>) {
  const out = await session.client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages }));
  const names: string[] = [];
  const events: ConverseStreamOutput[] = [];
  try {
    for await (const e of out.stream!) {
      events.push(e);
      names.push(Object.keys(e).find((k) => k !== "$unknown")!);
    }
  } catch (err) {
    return { names, events, error: err as Error };
  }
  return { names, events, error: undefined };
}

test("/error without a message uses the documented default", async () => {
  await assert.rejects(converse(say("/error InternalServerException")), (err: Error) =>
    err instanceof InternalServerException && err.message === "Injected InternalServerException from basalt.echo.");
});

test("ModelErrorException carries originalStatusCode, as the SDK models it", async () => {
  await assert.rejects(converse(say("/error ModelErrorException upstream broke")), (err: ModelErrorException) =>
    err instanceof ModelErrorException && err.originalStatusCode === 500 && err.$metadata.httpStatusCode === 424);
});

test("Converse just fails on /error-after", async () => {
  await assert.rejects(converse(say("/error-after 3 ThrottlingException later")), (err: Error) =>
    err instanceof ThrottlingException && err.message === "later");
});

test("/error-after 0 fails the stream before its first event (an HTTP error)", async () => {
  await assert.rejects(
    session.client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/error-after 0 ThrottlingException now") })),
    (err: ThrottlingException) => err instanceof ThrottlingException && err.$metadata.httpStatusCode === 429,
  );
});

test("/error-after N past the last event sends the whole stream, then the exception", async () => {
  const { names, error } = await streamOf(say("/error-after 99 InternalServerException at the end"));
  assert.deepEqual(names.slice(0, 2), ["messageStart", "contentBlockDelta"]);
  assert.deepEqual(names.slice(-3), ["contentBlockStop", "messageStop", "metadata"]);
  assert.ok(error instanceof InternalServerException && error.message === "at the end", String(error));
});

test("the stream before an /error-after failure is the ordinary echo of the line", async () => {
  const { events, error } = await streamOf(say("/error-after 4 ThrottlingException stop here"));
  assert.ok(error instanceof ThrottlingException);
  const deltas = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!.delta!.text);
  assert.deepEqual(deltas, ["/error-after", " 4", " ThrottlingException"]);
});

test("CountTokens does not fail on fault lines: it counts them", async () => {
  const counted = await session.client.send(new CountTokensCommand({
    modelId: "basalt.echo", input: { converse: { messages: say("/error ThrottlingException slow down") } },
  }));
  assert.equal(counted.inputTokens, 4);
});

test("only the first text block of the last user message is read", async () => {
  const later = await converse(say("hello", "/error ThrottlingException not me"));
  assert.equal(later.output!.message!.content![0].text, "hello\n/error ThrottlingException not me");
  const earlier = await converse([
    ...say("/error ThrottlingException old turn"),
    { role: "assistant" as const, content: [{ text: "ok" }] },
    ...say("  /slow 1 fresh turn"),
  ]);
  assert.equal(earlier.output!.message!.content![0].text, "fresh turn", "leading whitespace before a fault line is allowed");
});

test("/slow: Converse waits MS per token; the reply follows maxTokens; other blocks render after the text", async () => {
  const started = Date.now();
  const out = await converse(say("/slow 100 one two three four", "tail"), { inferenceConfig: { maxTokens: 3 } });
  const took = Date.now() - started;
  assert.equal(out.output!.message!.content![0].text, "one two three");
  assert.equal(out.stopReason, "max_tokens");
  assert.ok(took >= 300, `waited ${took} ms for 3 tokens at 100 ms`);
  const whole = await converse(say("/slow 1 one two", "tail"));
  assert.equal(whole.output!.message!.content![0].text, "one two\ntail");
});
