// What particular models refuse on Bedrock, recorded from the real service: echo served under a Claude or OpenAI
// id refuses the same requests in the same words (through the JS SDK: Converse, and for Claude the InvokeModel
// body too), and serves the ids the rules do not name as before.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { sdkSession, type ConverseRequest } from "../helpers/sdk-session.js";

const recorded = (name: string) => (JSON.parse(readFileSync(new URL(`./recordings/${name}`, import.meta.url), "utf8")) as { message: string }).message;

const OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0";
const OPUS_5 = "anthropic.claude-opus-5-v1";
const OPUS_55 = "anthropic.claude-opus-5-5-v1";
const SONNET_5 = "anthropic.claude-sonnet-5-v1";
const GPT_OSS = "openai.gpt-oss-120b-1:0";
const GPT_56 = "openai.gpt-5.6-sol";
const NOVA_MICRO = "amazon.nova-micro-v1:0";
const NOVA_2 = "amazon.nova-2-lite-v1:0";
const session = sdkSession({
  config: `models:
${[OPUS_45, OPUS_5, OPUS_55, SONNET_5, GPT_OSS, GPT_56, NOVA_MICRO, NOVA_2].map((id) => `  - { id: "${id}", provider: echo }`).join("\n")}
  - { id: basalt.echo, provider: echo }
`,
});

const user = (text: string) => [{ role: "user", content: [{ text }] }] as ConverseRequest["messages"];
const tools = (strict?: boolean) => ({
  tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object", properties: {}, additionalProperties: false } }, ...(strict !== undefined && { strict }) } }],
});

describe("Claude models' own refusals, as recorded", () => {
  test("extended thinking with a forced tool choice (any Claude)", async () => {
    const req: ConverseRequest = {
      messages: user("go"), toolConfig: { ...tools(), toolChoice: { tool: { name: "lookup" } } },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
    };
    const refused = await session.refusal(req, `us.${OPUS_45}`);
    assert.deepEqual([refused.name, refused.message, refused.status], ["ValidationException", recorded("amazon-bedrock-issue-11227-opus-4-5-error.json"), 400]);
    // Not forced, or not thinking: answered.
    await session.converse({ ...req, toolConfig: { ...tools(), toolChoice: { auto: {} } } }, OPUS_45);
    await session.converse({ messages: req.messages, toolConfig: req.toolConfig }, OPUS_45);
    // basalt.echo is not Claude: no Claude rule applies.
    await session.converse(req);
  });

  test("Opus 5 and later: temperature and top_p are deprecated", async () => {
    for (const id of [OPUS_5, OPUS_55]) {
      const t = await session.refusal({ messages: user("hi"), inferenceConfig: { temperature: 0.5 } }, id);
      assert.equal(t.message, recorded("amazon-bedrock-opus-5-deprecated-sampling-parameter.json"));
      const p = await session.refusal({ messages: user("hi"), inferenceConfig: { topP: 0.9 } }, id);
      assert.equal(p.message, recorded("amazon-bedrock-opus-5-deprecated-top-p.json"));
    }
    await session.converse({ messages: user("hi"), inferenceConfig: { temperature: 0.5, topP: 0.9 } }, OPUS_45);
    // The same rule through the Claude InvokeModel body.
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, temperature: 0.2, messages: [{ role: "user", content: "hi" }] });
    await assert.rejects(session.client.send(new InvokeModelCommand({ modelId: OPUS_5, body })), (err: Error) => {
      assert.equal(err.name, "ValidationException");
      assert.equal(err.message, recorded("amazon-bedrock-opus-5-deprecated-sampling-parameter.json"));
      return true;
    });
  });

  test("Opus 5.5 refuses a forced tool choice; Sonnet 5 refuses strict tools", async () => {
    for (const toolChoice of [{ tool: { name: "lookup" } }, { any: {} }]) {
      const forced = await session.refusal({ messages: user("go"), toolConfig: { ...tools(), toolChoice } }, OPUS_55);
      assert.equal(forced.message, recorded("bedrock-opus-5-5-forced-tool-error.json"));
    }
    await session.converse({ messages: user("go"), toolConfig: { ...tools(), toolChoice: { tool: { name: "lookup" } } } }, OPUS_5);
    const strict = await session.refusal({ messages: user("go"), toolConfig: tools(true) }, SONNET_5);
    assert.equal(strict.message, recorded("issue-18199-sonnet-5-strict-error.json"));
    await session.converse({ messages: user("go"), toolConfig: tools(true) }, OPUS_5);
  });
});

describe("OpenAI models' sampling fields in Converse, as recorded", () => {
  test("gpt-oss takes no stopSequences; GPT-5.x none of temperature, topP, stopSequences; InvokeModel bodies are not Converse's", async () => {
    const stop = await session.refusal({ messages: user("hi"), inferenceConfig: { stopSequences: ["END"] } }, GPT_OSS);
    assert.deepEqual([stop.name, stop.message, stop.status], ["ValidationException", recorded("amazon-bedrock-openai-stop-sequences-error.json"), 400]);
    await session.converse({ messages: user("hi"), inferenceConfig: { temperature: 0.2, topP: 0.5 } }, GPT_OSS);

    const all = { temperature: 0.2, topP: 0.5, stopSequences: ["END"] };
    assert.equal((await session.refusal({ messages: user("hi"), inferenceConfig: all }, `us.${GPT_56}`)).message, recorded("amazon-bedrock-openai-temperature-error.json"));
    assert.equal((await session.refusal({ messages: user("hi"), inferenceConfig: { topP: 0.5, stopSequences: ["END"] } }, GPT_56)).message, recorded("amazon-bedrock-openai-top-p-error.json"));
    assert.equal((await session.refusal({ messages: user("hi"), inferenceConfig: { stopSequences: ["END"] } }, GPT_56)).message, recorded("amazon-bedrock-openai-stop-sequences-error.json"));
    await session.converse({ messages: user("hi"), inferenceConfig: { maxTokens: 20 } }, GPT_56);

    // The gpt-oss InvokeModel body (a Chat Completions request) keeps its `stop`.
    const body = JSON.stringify({ messages: [{ role: "user", content: "a b c" }], stop: ["c"] });
    const answer = JSON.parse(new TextDecoder().decode((await session.client.send(new InvokeModelCommand({ modelId: GPT_OSS, body }))).body)) as { choices: { message: { content: string } }[] };
    assert.equal(answer.choices[0].message.content, "a b ");
  });
});

describe("Amazon Nova's reasoning, as recorded", () => {
  test("Nova 1 refuses any reasoningConfig; Nova 2 at high effort wants maxTokens unset", async () => {
    const micro = JSON.parse(readFileSync(new URL("./recordings/amazon-bedrock-nova-micro-portable-reasoning.json", import.meta.url), "utf8")) as {
      withReasoningConfig: { status: number; body: { message: string } };
    };
    const refused = await session.refusal({ messages: user("ok"), additionalModelRequestFields: { reasoningConfig: { type: "enabled" } } }, `us.${NOVA_MICRO}`);
    assert.deepEqual([refused.message, refused.status], [micro.withReasoningConfig.body.message, micro.withReasoningConfig.status]);
    await session.converse({ messages: user("ok") }, NOVA_MICRO);

    const high = { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } };
    const nova2 = await session.refusal({ messages: user("ok"), inferenceConfig: { maxTokens: 100 }, additionalModelRequestFields: high }, NOVA_2);
    assert.equal(nova2.message, recorded("amazon-bedrock-nova-2-high-reasoning-validation-error.json"));
    await session.converse({ messages: user("ok"), additionalModelRequestFields: high }, NOVA_2);
    await session.converse({ messages: user("ok"), inferenceConfig: { maxTokens: 100 }, additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "medium" } } }, NOVA_2);
  });
});
