// The judge: the prompt it sends (the documented contract a scripted model answers), the replies it
// understands, and its fall-back to the built-in classifier on a reply it cannot use.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinClassifier } from "../../src/guardrails/classifier/builtin-classifier.js";
import type { ClassifyRequest } from "../../src/guardrails/classifier/classifier.js";
import { createJudgeClassifier, judgePrompt, parseJudgeReply } from "../../src/guardrails/classifier/judge-classifier.js";
import { compileGuardrail } from "../../src/guardrails/compile-guardrail.js";
import { evaluateGuardrail } from "../../src/guardrails/evaluate-guardrail.js";

const request: ClassifyRequest = {
  text: "What stocks should I buy?",
  categories: ["HATE", "PROMPT_ATTACK"],
  topics: [{ name: "Investment advice", definition: "Guidance on investing", examples: ["Should I buy bitcoin?"] }],
};

describe("judge classifier", () => {
  it("asks for one JSON object naming every category and topic, with the text fenced", () => {
    const prompt = judgePrompt(request);
    assert.match(prompt, /Reply with exactly one JSON object and nothing else/);
    assert.match(prompt, /- HATE: /);
    assert.match(prompt, /- PROMPT_ATTACK: /);
    assert.match(prompt, /- "Investment advice": Guidance on investing \(examples: "Should I buy bitcoin\?"\)/);
    assert.match(prompt, /TEXT:\n<<<\nWhat stocks should I buy\?\n>>>$/);
    assert.doesNotMatch(prompt, /GROUNDING SOURCE/);
    const withGrounding = judgePrompt({ ...request, grounding: { source: "the source", query: "the query" } });
    assert.match(withGrounding, /GROUNDING SOURCE:\n<<<\nthe source\n>>>/);
    assert.match(withGrounding, /QUERY:\n<<<\nthe query\n>>>/);
  });

  it("reads scores as numbers, levels or booleans, in or around a code fence; missing keys score 0", () => {
    const reply = 'Sure:\n```json\n{"categories": {"HATE": 0.1, "PROMPT_ATTACK": "HIGH"}, "topics": {"Investment advice": true}}\n```';
    assert.deepEqual(parseJudgeReply(reply, request), { categories: { HATE: 0.1, PROMPT_ATTACK: 0.9 }, topics: { "Investment advice": 1 }, grounding: undefined });
    assert.deepEqual(parseJudgeReply('{"categories": {"HATE": 7}}', request).categories, { HATE: 1, PROMPT_ATTACK: 0 });
    assert.deepEqual(parseJudgeReply('{"grounding": 0.3, "relevance": "0.8"}', { ...request, grounding: { source: "s", query: "q" } }).grounding,
      { grounding: 0.3, relevance: 0.8 });
    assert.throws(() => parseJudgeReply("I cannot help with that.", request), /no JSON object/);
  });

  it("drives the engine's decisions, and falls back to the built-in classifier on a bad reply", async () => {
    const prompts: string[] = [];
    const errors: unknown[] = [];
    let reply = '{"categories": {"INSULTS": 0.8}, "topics": {"Cooking": 0.2}}';
    const judge = createJudgeClassifier({
      ask: async (prompt) => (prompts.push(prompt), reply),
      fallback: builtinClassifier,
      onError: (e) => errors.push(e),
    });
    const guardrail = compileGuardrail({
      name: "j", blockedInputMessaging: "no", blockedOutputsMessaging: "no",
      contentPolicyConfig: { filtersConfig: [{ type: "INSULTS", inputStrength: "MEDIUM", outputStrength: "MEDIUM" }] },
      topicPolicyConfig: { topicsConfig: [{ name: "Cooking", definition: "Recipes and cooking", type: "DENY" }] },
    });
    const judged = await evaluateGuardrail(guardrail, [{ text: { text: "a perfectly polite sentence" } }], { source: "INPUT", classifier: judge });
    assert.equal(prompts.length, 1, "one judge request per evaluation");
    assert.deepEqual(judged.assessment.contentPolicy, {
      filters: [{ type: "INSULTS", confidence: "HIGH", filterStrength: "MEDIUM", action: "BLOCKED", detected: true }],
    });
    assert.equal(judged.assessment.topicPolicy, undefined);
    reply = "no idea";
    const fallback = await evaluateGuardrail(guardrail, [{ text: { text: "cooking recipes for dinner" } }], { source: "INPUT", classifier: judge });
    assert.equal(errors.length, 1);
    assert.equal(fallback.assessment.topicPolicy?.topics[0].name, "Cooking", "the built-in classifier decided");
  });

  it("asks nothing when there is nothing to classify", async () => {
    let asked = 0;
    const judge = createJudgeClassifier({ ask: async () => (asked++, "{}"), fallback: builtinClassifier });
    assert.deepEqual(await judge.classify({ text: "x", categories: [], topics: [] }), { categories: {}, topics: {} });
    assert.equal(asked, 0);
  });
});
