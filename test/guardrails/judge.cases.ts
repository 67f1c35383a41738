// A served model as the guardrail judge (`guardrailJudge: { model }`): a scripted fake upstream stands in for
// it, receives the documented prompt, and its JSON reply decides topics and content filters; a reply that is
// not JSON leaves the decision to the built-in classifier.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApplyGuardrailCommand, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { CreateGuardrailCommand } from "@aws-sdk/client-bedrock";
import { completion, type ReceivedRequest } from "../fakes/openai-upstream.js";
import { startGuardrailServer, type GuardrailServer } from "./harness.js";

let s: GuardrailServer;
let id: string;
let judgeReply = "{}";
const isJudgeCall = (req: ReceivedRequest) => JSON.stringify(req.body).includes("You are the classifier of a content guardrail.");

before(async () => {
  s = await startGuardrailServer("guardrailJudge: { model: fake.model, maxTokens: 200 }", (req) =>
    ({ json: completion({ content: isJudgeCall(req) ? judgeReply : "an ordinary answer" }) }));
  id = (await s.control.send(new CreateGuardrailCommand({
    name: "judged",
    blockedInputMessaging: "judge says no",
    blockedOutputsMessaging: "judge says no to that",
    topicPolicyConfig: { topicsConfig: [{ name: "Cooking", definition: "Recipes and cooking techniques", type: "DENY" }] },
    contentPolicyConfig: { filtersConfig: [{ type: "VIOLENCE", inputStrength: "MEDIUM", outputStrength: "MEDIUM" }] },
  }))).guardrailId!;
});
after(() => s.stop());

describe("guardrail judge (scripted fake upstream)", () => {
  it("asks the judge model with the documented prompt and follows its scores", async () => {
    judgeReply = '```json\n{"categories": {"VIOLENCE": 0.1}, "topics": {"Cooking": 0.92}}\n```';
    s.upstream.requests.splice(0);
    const out = await s.runtime.send(new ApplyGuardrailCommand({
      guardrailIdentifier: id, guardrailVersion: "DRAFT", source: "INPUT", content: [{ text: { text: "How long do I boil an egg?" } }],
    }));
    assert.equal(out.action, "GUARDRAIL_INTERVENED");
    assert.deepEqual(out.assessments?.[0].topicPolicy, { topics: [{ name: "Cooking", type: "DENY", action: "BLOCKED", detected: true }] });
    assert.equal(s.upstream.requests.length, 1, "one judge call per evaluation");
    const sent = s.upstream.requests[0].body as { model: string; max_tokens?: number; max_completion_tokens?: number; temperature: number; messages: { content: string }[] };
    assert.equal(sent.model, "fake-upstream-model");
    assert.equal(sent.temperature, 0);
    assert.equal(sent.max_tokens ?? sent.max_completion_tokens, 200);
    const prompt = JSON.stringify(sent.messages);
    assert.match(prompt, /VIOLENCE: glorifies or threatens physical pain/);
    assert.match(prompt, /\\"Cooking\\": Recipes and cooking techniques/);
    assert.match(prompt, /How long do I boil an egg\?/);
  });

  it("maps the judge's confidence against filter strength", async () => {
    judgeReply = '{"categories": {"VIOLENCE": "HIGH"}, "topics": {"Cooking": 0}}';
    const out = await s.runtime.send(new ApplyGuardrailCommand({
      guardrailIdentifier: id, guardrailVersion: "DRAFT", source: "OUTPUT", content: [{ text: { text: "a perfectly calm sentence" } }],
    }));
    assert.deepEqual(out.assessments?.[0].contentPolicy, {
      filters: [{ type: "VIOLENCE", confidence: "HIGH", filterStrength: "MEDIUM", action: "BLOCKED", detected: true }],
    });
    assert.deepEqual(out.outputs, [{ text: "judge says no to that" }]);
  });

  it("judges Converse input and output, and the guarded model's own answer passes", async () => {
    judgeReply = '{"categories": {"VIOLENCE": 0}, "topics": {"Cooking": 0.1}}';
    const out = await s.runtime.send(new ConverseCommand({
      modelId: "fake.model", messages: [{ role: "user", content: [{ text: "hi" }] }],
      guardrailConfig: { guardrailIdentifier: id, guardrailVersion: "DRAFT" },
    }));
    assert.deepEqual(out.output?.message?.content, [{ text: "an ordinary answer" }]);
    assert.equal(out.stopReason, "end_turn");
  });

  it("falls back to the built-in classifier when the reply is not JSON", async () => {
    judgeReply = "I would rather not say.";
    const out = await s.runtime.send(new ApplyGuardrailCommand({
      guardrailIdentifier: id, guardrailVersion: "DRAFT", source: "INPUT", content: [{ text: { text: "I will kill you" } }],
    }));
    assert.equal(out.assessments?.[0].contentPolicy?.filters?.[0].confidence, "HIGH", "the lexicon decided");
    assert.equal(out.assessments?.[0].topicPolicy, undefined);
  });
});
