// The `guardrails:` and `guardrailJudge:` config keys: entries checked against CreateGuardrail's shapes from
// the control-plane model and the service's own rules, ids and names unique.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configEntries, guardrailJudgeConfigSchema, guardrailsConfigSchema } from "../../src/guardrails/guardrail-config.js";

const entry = { id: "g1", name: "my-guardrail", blockedInputMessaging: "no", blockedOutputsMessaging: "no" };
const issues = (value: unknown) => {
  const r = guardrailsConfigSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("guardrail config", () => {
  it("accepts CreateGuardrail's members plus an id, and splits them into id and definition", () => {
    const parsed = guardrailsConfigSchema.parse([{ ...entry, wordPolicyConfig: { wordsConfig: [{ text: "foo" }] } }]);
    assert.deepEqual(configEntries(parsed), [{
      id: "g1",
      definition: { name: "my-guardrail", blockedInputMessaging: "no", blockedOutputsMessaging: "no", wordPolicyConfig: { wordsConfig: [{ text: "foo" }] } },
    }]);
  });

  it("names the key of each problem: model constraints, unknown members, enums", () => {
    assert.deepEqual(issues([{ ...entry, id: "G-1", name: "has space", wordPolicyConfig: { wordsConfig: [{ txt: "x" }] } }]), [
      "0.id: must be 1–64 lower-case letters or digits",
      "0.name: Member must satisfy regular expression pattern: [0-9a-zA-Z-_]+",
      "0.wordPolicyConfig.wordsConfig.0.text: Required",
      "0.wordPolicyConfig.wordsConfig.0: Unrecognized key(s) in object: 'txt'",
    ]);
    assert.deepEqual(issues([{ ...entry, contentPolicyConfig: { filtersConfig: [{ type: "RUDE", inputStrength: "HIGH", outputStrength: "HIGH" }] } }]),
      ["0.contentPolicyConfig.filtersConfig.0.type: Member must satisfy enum value set: [SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT, PROMPT_ATTACK]"]);
  });

  it("applies the service's rules and refuses regexes that cannot run in linear time", () => {
    assert.deepEqual(issues([{
      ...entry,
      contentPolicyConfig: { filtersConfig: [{ type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "HIGH" }] },
      sensitiveInformationPolicyConfig: { regexesConfig: [{ name: "r", pattern: "(a)\\1", action: "BLOCK" }] },
    }]), [
      "0: The outputStrength for PROMPT_ATTACK filter must be NONE.",
      "0: The regex pattern of regexesConfig 1 (r) is not supported: backreferences are not supported (they cannot run in linear time) at position 5.",
    ]);
  });

  it("requires unique ids and names", () => {
    assert.deepEqual(issues([entry, entry]), ["1.id: duplicate guardrail id g1", "1.name: duplicate guardrail name my-guardrail"]);
  });

  it("takes a judge model", () => {
    assert.deepEqual(guardrailJudgeConfigSchema.parse({ model: "llama3" }), { model: "llama3" });
    assert.equal(guardrailJudgeConfigSchema.safeParse({ model: "" }).success, false);
  });
});
