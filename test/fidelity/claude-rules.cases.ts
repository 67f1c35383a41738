// What Claude models refuse on Bedrock, recorded from the real service: echo served under a Claude id refuses
// the same requests in the same words (through the JS SDK, Converse and the Claude InvokeModel body), and
// serves the ids the rules do not name as before.
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
const session = sdkSession({
  config: `models:
${[OPUS_45, OPUS_5, OPUS_55, SONNET_5].map((id) => `  - { id: "${id}", provider: echo }`).join("\n")}
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
