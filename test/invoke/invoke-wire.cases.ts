// InvokeModel / InvokeModelWithResponseStream on the wire, through the AWS SDK: Basalt's echo body, the
// response headers, header validation, unknown families, and CountTokens with invokeModel bodies.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CountTokensCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { h2Client } from "../helpers/clients.js";
import {
  ANTHROPIC_VERSION, CLAUDE, NO_FAMILY, NOVA, captureHeaders, invoke, invokeStream, rejection, startStack, withoutMetrics,
  type Stack,
} from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

test("echo body: reply, stop reason and usage, over HTTP/2 and HTTP/1.1", async () => {
  for (const client of [stack.client, stack.h1]) {
    const out = await invoke(client, "basalt.echo", { inputText: "one two three four", maxTokens: 2 });
    assert.deepEqual(out, { outputText: "one two", stopReason: "max_tokens", usage: { inputTokens: 4, outputTokens: 2 } });
    const stopped = await invoke(client, "basalt.echo", { inputText: "alpha STOP beta", stopSequences: ["STOP"] });
    assert.deepEqual(stopped, { outputText: "alpha ", stopReason: "stop_sequence", usage: { inputTokens: 3, outputTokens: 1 } });
  }
});

test("response headers: content type, token counts, latency, request id, performance echo", async () => {
  const client = h2Client(stack.basalt.url);
  const headers = captureHeaders(client);
  try {
    await invoke(client, "basalt.echo", { inputText: "a b c" }, { performanceConfigLatency: "optimized" });
    const h = headers.last;
    assert.equal(h["content-type"], "application/json");
    assert.equal(h["x-amzn-bedrock-input-token-count"], "3");
    assert.equal(h["x-amzn-bedrock-output-token-count"], "3");
    assert.match(h["x-amzn-bedrock-invocation-latency"], /^\d+$/);
    assert.match(h["x-amzn-requestid"], /^[0-9a-f-]{36}$/);
    assert.equal(h["x-amzn-bedrock-performanceconfig-latency"], "optimized");

    const chunks = await invokeStream(client, "basalt.echo", { inputText: "x y" }, { serviceTier: "flex" });
    assert.equal(headers.last["content-type"], "application/vnd.amazon.eventstream");
    assert.equal(headers.last["x-amzn-bedrock-content-type"], "application/json");
    assert.equal(headers.last["x-amzn-bedrock-service-tier"], "flex");
    assert.ok(chunks.length > 0);
  } finally {
    client.destroy();
  }
});

test("echo stream: one chunk per piece, the last with stop reason, usage and invocation metrics", async () => {
  for (const client of [stack.client, stack.h1]) {
    const raw = await invokeStream(client, "basalt.echo", { inputText: "hello streaming world" });
    const { chunks, metrics } = withoutMetrics(raw);
    assert.deepEqual(chunks, [
      { outputText: "hello" },
      { outputText: " streaming" },
      { outputText: " world" },
      { outputText: "", stopReason: "end_turn", usage: { inputTokens: 3, outputTokens: 3 } },
    ]);
    assert.equal(metrics.inputTokenCount, 3);
    assert.equal(metrics.outputTokenCount, 3);
    assert.equal(typeof metrics.invocationLatency, "number");
    assert.equal(typeof metrics.firstByteLatency, "number");
    assert.ok((metrics.firstByteLatency as number) <= (metrics.invocationLatency as number));
  }
});

test("an invalid echo body is a ValidationException in Bedrock's words, before any stream starts", async () => {
  const err = await rejection(invoke(stack.client, "basalt.echo", { text: "hi", maxTokens: 0 }));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(
    err.message,
    "Malformed input request: #: required key [inputText] not found#: extraneous key [text] is not permitted#/maxTokens: 0 is not greater or equal to 1, please reformat your input and try again.",
  );
  const streamErr = await rejection(invokeStream(stack.h1, "basalt.echo", { inputText: 5 }));
  assert.equal(streamErr.name, "ValidationException");
  assert.match(streamErr.message, /#\/inputText: expected type: String, found: Integer/);
});

test("a native stream passes each chunk on as it is made, and one that fails mid-way still delivers every chunk before the exception", async () => {
  // Converse events through Claude's body: messageStart, then the echoed text "/error-after 4 ThrottlingException"
  // piece by piece; four events, then the exception.
  const res = await stack.client.send(new InvokeModelWithResponseStreamCommand({
    modelId: CLAUDE, contentType: "application/json",
    body: JSON.stringify({ anthropic_version: ANTHROPIC_VERSION, max_tokens: 50, messages: [{ role: "user", content: "/error-after 4 ThrottlingException" }] }),
  }));
  const types: string[] = [];
  let text = "";
  let failure: Error | undefined;
  try {
    for await (const e of res.body ?? []) {
      if (!e.chunk?.bytes) continue;
      const chunk = JSON.parse(new TextDecoder().decode(e.chunk.bytes)) as { type: string; delta?: { text?: string } };
      types.push(chunk.type);
      text += chunk.delta?.text ?? "";
    }
  } catch (err) {
    failure = err as Error;
  }
  assert.equal(failure?.name, "ThrottlingException");
  assert.deepEqual(types.slice(0, 2), ["message_start", "content_block_start"]);
  // Three text events came before the exception (the fourth event was the block's start): none is lost.
  assert.equal(types.filter((t) => t === "content_block_delta").length, 3, JSON.stringify(types));
  assert.equal(text, "/error-after 4 ThrottlingException".split(" ").slice(0, 3).join(" "));
});

test("a body over the Body shape's 25,000,000 bytes is the service's constraint message, not a transport refusal", async () => {
  const big = JSON.stringify({ inputText: "x".repeat(25_000_000) });
  const err = await rejection(stack.client.send(new InvokeModelCommand({ modelId: "basalt.echo", contentType: "application/json", body: big })));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(err.message, "1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 25000000");
  const streamErr = await rejection(invokeStream(stack.client, "basalt.echo", JSON.parse(big)));
  assert.equal(streamErr.name, "ValidationException");
});

test("a body that is not JSON, and a content type that is not JSON, are refused", async () => {
  const notJson = await rejection(stack.client.send(new InvokeModelCommand({
    modelId: "basalt.echo", contentType: "application/json", body: new TextEncoder().encode("{not json"),
  })));
  assert.equal(notJson.name, "ValidationException");
  assert.match(notJson.message, /^Malformed input request: /);

  const wrongType = await rejection(stack.client.send(new InvokeModelCommand({
    modelId: "basalt.echo", contentType: "text/plain", body: JSON.stringify({ inputText: "hi" }),
  })));
  assert.equal(wrongType.name, "ValidationException");
  assert.match(wrongType.message, /content type text\/plain/);

  const wrongAccept = await rejection(invokeStream(stack.client, "basalt.echo", { inputText: "hi" }, { accept: "text/html" }));
  assert.equal(wrongAccept.name, "ValidationException");
  assert.match(wrongAccept.message, /accept type text\/html/);

  // Without contentType the SDK sends application/octet-stream; Bedrock still reads the body as JSON.
  const res = await stack.client.send(new InvokeModelCommand({ modelId: "basalt.echo", body: JSON.stringify({ inputText: "ok" }) }));
  assert.equal(JSON.parse(new TextDecoder().decode(res.body)).outputText, "ok");
});

test("guardrail and trace headers: accepted when valid, checked against the service model's patterns", async () => {
  const out = await invoke(stack.client, "basalt.echo", { inputText: "guarded" }, {
    guardrailIdentifier: "abc123xyz", guardrailVersion: "DRAFT", trace: "ENABLED", requestMetadata: JSON.stringify({ team: "core" }),
  });
  assert.equal(out.outputText, "guarded");

  const badId = await rejection(invoke(stack.client, "basalt.echo", { inputText: "x" }, { guardrailIdentifier: "Not Valid!", guardrailVersion: "1" }));
  assert.equal(badId.name, "ValidationException");
  assert.match(badId.message, /^1 validation error detected: Value 'Not Valid!' at 'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern/);

  const badVersion = await rejection(invoke(stack.client, "basalt.echo", { inputText: "x" }, { guardrailIdentifier: "abc", guardrailVersion: "v1" }));
  assert.match(badVersion.message, /Value 'v1' at 'guardrailVersion' failed to satisfy constraint/);

  const noVersion = await rejection(invoke(stack.client, "basalt.echo", { inputText: "x" }, { guardrailIdentifier: "abc" }));
  assert.equal(noVersion.name, "ValidationException");
  assert.match(noVersion.message, /guardrail version is required/);

  const configWithoutGuardrail = await rejection(invoke(stack.client, "basalt.echo", {
    inputText: "x", "amazon-bedrock-guardrailConfig": { streamProcessingMode: "SYNCHRONOUS" },
  }));
  assert.equal(configWithoutGuardrail.name, "ValidationException");
  assert.match(configWithoutGuardrail.message, /amazon-bedrock-guardrailConfig/);

  const badMetadata = await rejection(invoke(stack.client, "basalt.echo", { inputText: "x" }, { requestMetadata: "[1]" }));
  assert.equal(badMetadata.name, "ValidationException");
});

test("a model whose family nothing names is a ValidationException; an ARN or profile id finds its family", async () => {
  const err = await rejection(invoke(stack.client, NO_FAMILY, { inputText: "x" }));
  assert.equal(err.name, "ValidationException");
  assert.match(err.message, /acme\.mystery-v1 has no InvokeModel request format/);

  const arn = `arn:aws:bedrock:us-east-1::foundation-model/${CLAUDE}`;
  const out = await invoke(stack.client, arn, { anthropic_version: ANTHROPIC_VERSION, max_tokens: 10, messages: [{ role: "user", content: "via arn" }] });
  assert.equal(out.type, "message");
  const profiled = await invoke(stack.client, `us.${NOVA}`, { messages: [{ role: "user", content: [{ text: "profile" }] }] });
  assert.deepEqual(profiled.output, { message: { role: "assistant", content: [{ text: "profile" }] } });
});

test("CountTokens with invokeModel bodies counts what the family's translation holds", async () => {
  const count = async (modelId: string, body: unknown) =>
    (await stack.client.send(new CountTokensCommand({
      modelId, input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(body)) } },
    }))).inputTokens;

  assert.equal(await count("basalt.echo", { inputText: "four little words here" }), 4);
  assert.equal(await count(CLAUDE, {
    anthropic_version: ANTHROPIC_VERSION, max_tokens: 100, system: "be brief",
    messages: [{ role: "user", content: "count these three" }, { role: "assistant", content: [{ type: "text", text: "ok" }] }],
  }), 6);
  assert.equal(await count(NOVA, { messages: [{ role: "user", content: [{ text: "nova counts five tokens" }] }], system: [{ text: "sys" }] }), 5);

  const err = await rejection(count(CLAUDE, { max_tokens: 10, messages: [] }));
  assert.equal(err.name, "ValidationException");
  assert.match(err.message, /required key \[anthropic_version\] not found/);
});
