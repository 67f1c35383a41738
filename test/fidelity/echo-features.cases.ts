// Issue 19, item 5 and the basalt.echo features: every Converse response member echo can show —
// performanceConfig / serviceTier, prompt-cache usage, structured output, strict tools,
// additionalModelResponseFields and signed reasoning — through the JS SDK (unary and stream), with the
// recorded real-service messages where a rule refuses a request.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type ConverseCommandInput, type ConverseCommandOutput,
  type ConverseStreamOutput, type ToolConfiguration,
} from "@aws-sdk/client-bedrock-runtime";
import { sdkSession, type ConverseRequest } from "../helpers/sdk-session.js";

const recorded = (name: string) => (JSON.parse(readFileSync(new URL(`./recordings/${name}`, import.meta.url), "utf8")) as { message: string }).message;

const session = sdkSession();

type Req = ConverseRequest;
const user = (...content: object[]) => ({ role: "user", content }) as never;
const send = session.converse;
async function stream(input: Req, modelId = "basalt.echo"): Promise<ConverseStreamOutput[]> {
  const out = await session.client.send(new ConverseStreamCommand({ modelId, ...input } as ConverseCommandInput));
  const events: ConverseStreamOutput[] = [];
  for await (const e of out.stream!) events.push(e);
  return events;
}
const textOf = (out: ConverseCommandOutput) => out.output!.message!.content!.map((b) => b.text ?? "").join("");
const refusal = (input: Req) => session.refusal(input);

describe("item 5: Converse answers performanceConfig and serviceTier, as InvokeModel does in headers", () => {
  test("unary body and the stream's metadata event", async () => {
    const req: Req = { messages: [user({ text: "hi" })], performanceConfig: { latency: "optimized" }, serviceTier: { type: "priority" } };
    const out = await send(req);
    assert.deepEqual(out.performanceConfig, { latency: "optimized" });
    assert.deepEqual(out.serviceTier, { type: "priority" });
    const metadata = (await stream(req)).find((e) => e.metadata)!.metadata!;
    assert.deepEqual(metadata.performanceConfig, { latency: "optimized" });
    assert.deepEqual(metadata.serviceTier, { type: "priority" });
    const plain = await send({ messages: [user({ text: "hi" })] });
    assert.equal(plain.performanceConfig, undefined);
    assert.equal(plain.serviceTier, undefined);
  });
});

describe("prompt-cache usage", () => {
  // A model id of its own per test: the cache is per echo model and per process.
  const prefix = (words: number) => Array.from({ length: words }, (_, i) => `w${i}`).join(" ");

  test("first request writes the prefix, an identical prefix later reads it; inputTokens keep the rest", async () => {
    const modelId = "us.basalt.echo";
    const req = (question: string): Req => ({
      system: [{ text: prefix(10) }, { cachePoint: { type: "default" } }],
      messages: [user({ text: question })],
    });
    const first = await send(req("one two three"), modelId);
    assert.deepEqual(first.usage, {
      inputTokens: 3, outputTokens: 3, totalTokens: 16, cacheReadInputTokens: 0, cacheWriteInputTokens: 10,
      cacheDetails: [{ ttl: "5m", inputTokens: 10 }],
    });
    const second = await send(req("four five"), modelId);
    assert.deepEqual(second.usage, { inputTokens: 2, outputTokens: 2, totalTokens: 14, cacheReadInputTokens: 10, cacheWriteInputTokens: 0 });
  });

  test("a longer prefix reads the cached part and writes the rest, by TTL; the stream's metadata agrees", async () => {
    const modelId = "eu.basalt.echo";
    const base: Req = { system: [{ text: prefix(4) }, { cachePoint: { type: "default", ttl: "1h" } }], messages: [user({ text: "q" })] };
    await send(base, modelId);
    const longer: Req = {
      system: base.system,
      messages: [user({ text: prefix(6) }, { cachePoint: { type: "default" } }, { text: "q" })],
    };
    const events = await stream(longer, modelId);
    const usage = events.find((e) => e.metadata)!.metadata!.usage!;
    assert.deepEqual(usage, {
      inputTokens: 1, outputTokens: 7, totalTokens: 18, cacheReadInputTokens: 4, cacheWriteInputTokens: 6,
      cacheDetails: [{ ttl: "5m", inputTokens: 6 }],
    });
  });

  test("without cache points usage has no cache members", async () => {
    const out = await send({ messages: [user({ text: "plain" })] });
    assert.deepEqual(out.usage, { inputTokens: 1, outputTokens: 1, totalTokens: 2 });
  });
});

describe("structured output (outputConfig.textFormat json_schema)", () => {
  const schema = {
    type: "object", additionalProperties: false, required: ["name", "count", "tags", "ok", "kind"],
    properties: {
      name: { type: "string" }, count: { type: "integer", minimum: 2 }, ok: { type: "boolean" },
      tags: { type: "array", minItems: 2, items: { type: "string" } }, kind: { enum: ["a", "b"] }, optional: { type: "string" },
    },
  };
  const format = (s: object) => ({ textFormat: { type: "json_schema", structure: { jsonSchema: { name: "reply", schema: JSON.stringify(s) } } } }) as never;

  test("the reply is the minimal valid document, strings filled with the prompt's tokens", async () => {
    const out = await send({ messages: [user({ text: "alpha beta gamma" })], outputConfig: format(schema) });
    assert.deepEqual(JSON.parse(textOf(out)), { name: "alpha", count: 2, tags: ["beta", "gamma"], ok: false, kind: "a" });
    const streamed = (await stream({ messages: [user({ text: "alpha beta gamma" })], outputConfig: format(schema) }))
      .map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
    assert.equal(streamed, textOf(out));
  });

  test("Claude's schema rules, with the recorded messages: maxItems, and objects left open", async () => {
    const withMax = await refusal({ messages: [user({ text: "x" })], outputConfig: format({ ...schema, properties: { ...schema.properties, tags: { type: "array", maxItems: 3 } } }) });
    assert.equal(withMax.message, recorded("issue-17197-max-items-error.json"));
    const open = await refusal({ messages: [user({ text: "x" })], outputConfig: format({ type: "object", properties: {} }) });
    assert.equal(open.message, "The model returned the following errors: output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false");
  });
});

describe("toolSpec.strict", () => {
  const strictTool = (schema: object) => ({ tools: [{ toolSpec: { name: "lookup", strict: true, inputSchema: { json: schema } } }] }) as ToolConfiguration;
  const closed = { type: "object", additionalProperties: false, required: ["city"], properties: { city: { type: "string" } } };

  test("a /tool input matching the schema is called; one that does not is a ValidationException", async () => {
    const ok = await send({ messages: [user({ text: '/tool lookup {"city":"Oslo"}' })], toolConfig: strictTool(closed) });
    assert.deepEqual(ok.output!.message!.content![0].toolUse!.input, { city: "Oslo" });
    const bad = await refusal({ messages: [user({ text: '/tool lookup {"town":"Oslo"}' })], toolConfig: strictTool(closed) });
    assert.equal(bad.name, "ValidationException");
    assert.equal(bad.message, "The input of the /tool lookup line does not match the strict tool's input schema: #: required property city is missing. Fix the input and try again.");
    // The same input to a tool that is not strict is passed through.
    const loose = await send({ messages: [user({ text: '/tool lookup {"town":"Oslo"}' })], toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: closed } } }] } });
    assert.deepEqual(loose.output!.message!.content![0].toolUse!.input, { town: "Oslo" });
  });

  test("a forced strict call gets the schema's minimal input; an open strict schema is the recorded refusal", async () => {
    const forced = await send({ messages: [user({ text: "Bergen please" })], toolConfig: { ...strictTool(closed), toolChoice: { tool: { name: "lookup" } } } });
    assert.deepEqual(forced.output!.message!.content![0].toolUse!.input, { city: "Bergen" });
    const open = await refusal({ messages: [user({ text: "x" })], toolConfig: strictTool({ type: "object", properties: {} }) });
    assert.equal(open.message, recorded("amazon-bedrock-strict-open-schema-error.json"));
  });
});

describe("additionalModelResponseFields", () => {
  test("pointers resolve on echo's native body ({outputText, stopReason, usage}); unmatched ones are left out", async () => {
    const req: Req = { messages: [user({ text: "one two three" })], inferenceConfig: { maxTokens: 2 },
      additionalModelResponseFieldPaths: ["/stopReason", "/usage/outputTokens", "/nothing"] };
    const out = await send(req);
    assert.deepEqual(out.additionalModelResponseFields, { stopReason: "max_tokens", usage: { outputTokens: 2 } });
    const stop = (await stream(req)).find((e) => e.messageStop)!.messageStop!;
    assert.deepEqual(stop.additionalModelResponseFields, { stopReason: "max_tokens", usage: { outputTokens: 2 } });
    assert.equal((await send({ messages: [user({ text: "x" })] })).additionalModelResponseFields, undefined);
  });
});

describe("reasoning with a signature echo verifies", () => {
  const thinking = { thinking: { type: "enabled", budget_tokens: 1024 } };

  test("a reasoningContent block first, signed; sent back unchanged it is accepted", async () => {
    const out = await send({ messages: [user({ text: "why so" })], additionalModelRequestFields: thinking });
    const [reasoning, answer] = out.output!.message!.content!;
    const text = reasoning.reasoningContent!.reasoningText!.text!;
    assert.equal(text, "The last user message renders as 2 tokens; echo repeats them.");
    assert.match(reasoning.reasoningContent!.reasoningText!.signature!, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(answer.text, "why so");
    assert.equal(out.usage!.outputTokens, 2 + 11, "the answer's tokens plus the trace's");
    const next = await send({
      additionalModelRequestFields: thinking,
      messages: [user({ text: "why so" }), { role: "assistant", content: out.output!.message!.content } as never, user({ text: "again" })],
    });
    assert.equal(next.output!.message!.content![1].text, "again");
  });

  test("Nova's reasoningConfig turns it on too; the stream sends text deltas, then the signature, then the answer", async () => {
    const events = await stream({ messages: [user({ text: "a b" })], additionalModelRequestFields: { reasoningConfig: { type: "enabled" } } });
    const deltas = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!);
    const reasoningText = deltas.filter((d) => d.contentBlockIndex === 0 && d.delta?.reasoningContent?.text !== undefined).map((d) => d.delta!.reasoningContent!.text).join("");
    assert.equal(reasoningText, "The last user message renders as 2 tokens; echo repeats them.");
    const signatureAt = deltas.findIndex((d) => d.delta?.reasoningContent?.signature !== undefined);
    assert.ok(signatureAt > 0 && deltas.slice(signatureAt + 1).every((d) => d.contentBlockIndex === 1));
    assert.equal(deltas.filter((d) => d.contentBlockIndex === 1).map((d) => d.delta!.text).join(""), "a b");
  });

  test("a tampered block or a missing signature is refused as Bedrock refuses it", async () => {
    const out = await send({ messages: [user({ text: "why so" })], additionalModelRequestFields: thinking });
    const block = out.output!.message!.content![0].reasoningContent!.reasoningText!;
    const history = (reasoningText: object) => [
      user({ text: "why so" }), { role: "assistant", content: [{ reasoningContent: { reasoningText } }, { text: "why so" }] } as never, user({ text: "again" }),
    ];
    // openclaw/openclaw#88020 (Claude Sonnet 4.6 on Bedrock): "…: messages.39.content.0: Invalid signature in thinking block".
    const tampered = await refusal({ messages: history({ text: `${block.text} (edited)`, signature: block.signature }) });
    assert.equal(tampered.name, "ValidationException");
    assert.equal(tampered.message, "The model returned the following errors: messages.1.content.0: Invalid signature in thinking block");
    // can1357/oh-my-pi#10486 (Bedrock): "…: messages.369.content.0.thinking.signature: Field required".
    const unsigned = await refusal({ messages: history({ text: block.text }) });
    assert.equal(unsigned.message, "The model returned the following errors: messages.1.content.0.thinking.signature: Field required");
  });
});

describe("promptVariables", () => {
  test("{{name}} in the request's text is filled from promptVariables; an undefined one stays", async () => {
    const out = await send({
      system: [{ text: "You help {{team}}." }],
      messages: [user({ text: "Hello {{name}}, from {{ team }} and {{nobody}}" })],
      promptVariables: { name: { text: "Ada" }, team: { text: "core" } },
    });
    assert.equal(textOf(out), "Hello Ada, from core and {{nobody}}");
    // The system prompt's variable is filled too: "You help core." is 3 tokens, the message 6.
    assert.equal(out.usage!.inputTokens, 3 + 6);
  });
});

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
test("boto3 parses every new member the same way", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const script = fileURLToPath(new URL("./python/echo_features.py", import.meta.url));
  const out = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, session.basalt.url], { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))));
  const got = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(got.firstUsage, {
    inputTokens: 1, outputTokens: 1, totalTokens: 6, cacheReadInputTokens: 0, cacheWriteInputTokens: 4, cacheDetails: [{ ttl: "5m", inputTokens: 4 }],
  });
  assert.deepEqual(got.secondUsage, { inputTokens: 2, outputTokens: 2, totalTokens: 8, cacheReadInputTokens: 4, cacheWriteInputTokens: 0 });
  assert.deepEqual(got.performanceConfig, { latency: "optimized" });
  assert.deepEqual(got.serviceTier, { type: "flex" });
  assert.deepEqual(got.fields, { stopReason: "end_turn" });
  assert.equal(got.reasoningText, "The last user message renders as 1 tokens; echo repeats them.");
  assert.equal(got.signatureBytes, 44);
  assert.equal(got.backText, "again");
  assert.deepEqual(got.refused, ["ValidationException", "The model returned the following errors: messages.1.content.0: Invalid signature in thinking block"]);
  assert.deepEqual(got.structured, { a: "alpha", b: "beta" });
});
