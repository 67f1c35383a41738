// Guardrails managed through the control plane with @aws-sdk/client-bedrock, as against Bedrock: create one
// with each policy type, read it back (DRAFT and versions), list, update (a full replacement), version,
// delete; ids, ARNs, statuses and timestamps as Bedrock returns them; the errors for unknown guardrails,
// invalid requests and config-file guardrails.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ConflictException, CreateGuardrailCommand, CreateGuardrailVersionCommand, DeleteGuardrailCommand, GetGuardrailCommand,
  ListGuardrailsCommand, ResourceNotFoundException, UpdateGuardrailCommand, ValidationException, type CreateGuardrailCommandInput,
} from "@aws-sdk/client-bedrock";
import { startGuardrailServer, type GuardrailServer } from "./harness.js";

let s: GuardrailServer;
before(async () => {
  s = await startGuardrailServer([
    "guardrails:",
    "  - id: fromconfig",
    "    name: from-config",
    "    blockedInputMessaging: config says no",
    "    blockedOutputsMessaging: config says no",
    "    wordPolicyConfig: { wordsConfig: [{ text: forbidden }] }",
  ].join("\n"));
});
after(() => s.stop());

const everyPolicy: CreateGuardrailCommandInput = {
  name: "every-policy",
  description: "one of each",
  blockedInputMessaging: "Sorry, the model cannot answer this question.",
  blockedOutputsMessaging: "Sorry, the model cannot answer this.",
  topicPolicyConfig: { topicsConfig: [{ name: "Investment advice", definition: "Guidance on investing money", examples: ["Should I buy bitcoin?"], type: "DENY" }] },
  contentPolicyConfig: { filtersConfig: [
    { type: "INSULTS", inputStrength: "HIGH", outputStrength: "MEDIUM" },
    { type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "NONE" },
  ] },
  wordPolicyConfig: { wordsConfig: [{ text: "CompetitorBank" }], managedWordListsConfig: [{ type: "PROFANITY" }] },
  sensitiveInformationPolicyConfig: {
    piiEntitiesConfig: [{ type: "EMAIL", action: "ANONYMIZE" }, { type: "US_SOCIAL_SECURITY_NUMBER", action: "BLOCK" }],
    regexesConfig: [{ name: "claim_number", description: "claims", pattern: "CLM-[0-9]{4}", action: "ANONYMIZE" }],
  },
  contextualGroundingPolicyConfig: { filtersConfig: [{ type: "GROUNDING", threshold: 0.7 }, { type: "RELEVANCE", threshold: 0.5 }] },
};

describe("control-plane guardrails (JS SDK)", () => {
  it("creates a guardrail with every policy type and reads it back as GetGuardrail shapes", async () => {
    const created = await s.control.send(new CreateGuardrailCommand(everyPolicy));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.match(created.guardrailId!, /^[a-z0-9]{12}$/);
    assert.equal(created.guardrailArn, `arn:aws:bedrock:us-east-1:000000000000:guardrail/${created.guardrailId}`);
    assert.equal(created.version, "DRAFT");
    assert.ok(created.createdAt instanceof Date);

    const got = await s.control.send(new GetGuardrailCommand({ guardrailIdentifier: created.guardrailId }));
    assert.equal(got.name, "every-policy");
    assert.equal(got.description, "one of each");
    assert.equal(got.version, "DRAFT");
    assert.equal(got.status, "READY");
    assert.equal(got.guardrailArn, created.guardrailArn);
    assert.deepEqual(got.topicPolicy, { topics: everyPolicy.topicPolicyConfig!.topicsConfig });
    assert.deepEqual(got.contentPolicy, { filters: everyPolicy.contentPolicyConfig!.filtersConfig });
    assert.deepEqual(got.wordPolicy, { words: [{ text: "CompetitorBank" }], managedWordLists: [{ type: "PROFANITY" }] });
    assert.deepEqual(got.sensitiveInformationPolicy, {
      piiEntities: everyPolicy.sensitiveInformationPolicyConfig!.piiEntitiesConfig,
      regexes: everyPolicy.sensitiveInformationPolicyConfig!.regexesConfig,
    });
    assert.deepEqual(got.contextualGroundingPolicy, { filters: everyPolicy.contextualGroundingPolicyConfig!.filtersConfig });
    assert.equal(got.blockedInputMessaging, everyPolicy.blockedInputMessaging);
    assert.equal(got.createdAt?.getTime(), created.createdAt?.getTime());
    // By ARN too.
    assert.equal((await s.control.send(new GetGuardrailCommand({ guardrailIdentifier: created.guardrailArn }))).guardrailId, created.guardrailId);
  });

  it("versions, updates (a full replacement of the DRAFT), lists and deletes", async () => {
    const { guardrailId } = await s.control.send(new CreateGuardrailCommand({
      name: "lifecycle", blockedInputMessaging: "no", blockedOutputsMessaging: "no",
      wordPolicyConfig: { wordsConfig: [{ text: "alpha" }] },
    }));
    const v1 = await s.control.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: guardrailId, description: "first" }));
    assert.equal(v1.$metadata.httpStatusCode, 202);
    assert.deepEqual({ id: v1.guardrailId, version: v1.version }, { id: guardrailId, version: "1" });

    const updated = await s.control.send(new UpdateGuardrailCommand({
      guardrailIdentifier: guardrailId, name: "lifecycle", blockedInputMessaging: "no", blockedOutputsMessaging: "no",
      topicPolicyConfig: { topicsConfig: [{ name: "Cooking", definition: "Recipes", type: "DENY" }] },
    }));
    assert.equal(updated.version, "DRAFT");
    assert.ok(updated.updatedAt instanceof Date);
    const draft = await s.control.send(new GetGuardrailCommand({ guardrailIdentifier: guardrailId }));
    assert.equal(draft.wordPolicy, undefined, "UpdateGuardrail replaces the whole definition");
    assert.equal(draft.topicPolicy?.topics?.[0].name, "Cooking");
    const one = await s.control.send(new GetGuardrailCommand({ guardrailIdentifier: guardrailId, guardrailVersion: "1" }));
    assert.deepEqual(one.wordPolicy, { words: [{ text: "alpha" }] }, "version 1 is frozen");
    assert.equal(one.description, "first");
    assert.equal((await s.control.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: guardrailId }))).version, "2");

    const versions = await s.control.send(new ListGuardrailsCommand({ guardrailIdentifier: guardrailId }));
    assert.deepEqual(versions.guardrails?.map((g) => [g.id, g.version, g.status, g.name]),
      [[guardrailId, "DRAFT", "READY", "lifecycle"], [guardrailId, "1", "READY", "lifecycle"], [guardrailId, "2", "READY", "lifecycle"]]);
    const all = await s.control.send(new ListGuardrailsCommand({}));
    const names = all.guardrails!.map((g) => g.name);
    assert.ok(names.includes("from-config") && names.includes("lifecycle"));
    assert.ok(all.guardrails!.every((g) => g.version === "DRAFT"));
    const page = await s.control.send(new ListGuardrailsCommand({ maxResults: 1 }));
    assert.equal(page.guardrails?.length, 1);
    assert.ok(page.nextToken);
    const next = await s.control.send(new ListGuardrailsCommand({ maxResults: 1, nextToken: page.nextToken }));
    assert.notEqual(next.guardrails?.[0].id, page.guardrails?.[0].id);

    await s.control.send(new DeleteGuardrailCommand({ guardrailIdentifier: guardrailId, guardrailVersion: "2" }));
    await assert.rejects(s.control.send(new GetGuardrailCommand({ guardrailIdentifier: guardrailId, guardrailVersion: "2" })), ResourceNotFoundException);
    const deleted = await s.control.send(new DeleteGuardrailCommand({ guardrailIdentifier: guardrailId }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await assert.rejects(s.control.send(new GetGuardrailCommand({ guardrailIdentifier: guardrailId })), ResourceNotFoundException);
  });

  it("answers unknown guardrails with ResourceNotFoundException on every operation", async () => {
    const unknown = { guardrailIdentifier: "nosuchguardrail" };
    const messaging = { name: "x", blockedInputMessaging: "no", blockedOutputsMessaging: "no" };
    for (const command of [
      new GetGuardrailCommand(unknown), new UpdateGuardrailCommand({ ...unknown, ...messaging }),
      new DeleteGuardrailCommand(unknown), new CreateGuardrailVersionCommand(unknown), new ListGuardrailsCommand(unknown),
    ]) {
      await assert.rejects(s.control.send(command as never), (err: unknown) => {
        assert.ok(err instanceof ResourceNotFoundException, String(err));
        assert.equal(err.message, "Could not find guardrail with id nosuchguardrail");
        return true;
      });
    }
  });

  it("refuses invalid requests with the service's validation wording, and duplicate names", async () => {
    await assert.rejects(s.control.send(new CreateGuardrailCommand({ name: "bad name!", blockedInputMessaging: "", blockedOutputsMessaging: "no" })), (err: unknown) => {
      assert.ok(err instanceof ValidationException);
      assert.equal(err.message, "2 validation errors detected: Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_]+; " +
        "Value at 'blockedInputMessaging' failed to satisfy constraint: Member must have length greater than or equal to 1");
      return true;
    });
    await assert.rejects(s.control.send(new CreateGuardrailCommand({
      name: "attack-out", blockedInputMessaging: "no", blockedOutputsMessaging: "no",
      contentPolicyConfig: { filtersConfig: [{ type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "HIGH" }] },
    })), /The outputStrength for PROMPT_ATTACK filter must be NONE\./);
    await assert.rejects(s.control.send(new CreateGuardrailCommand({
      name: "slow-regex", blockedInputMessaging: "no", blockedOutputsMessaging: "no",
      sensitiveInformationPolicyConfig: { regexesConfig: [{ name: "r", pattern: "(a)\\1", action: "BLOCK" }] },
    })), /cannot run in linear time/);
    await s.control.send(new CreateGuardrailCommand({ name: "dup", blockedInputMessaging: "no", blockedOutputsMessaging: "no" }));
    await assert.rejects(s.control.send(new CreateGuardrailCommand({ name: "dup", blockedInputMessaging: "no", blockedOutputsMessaging: "no" })), ConflictException);
  });

  it("serves config-file guardrails as DRAFT and 1, and refuses to change them", async () => {
    const got = await s.control.send(new GetGuardrailCommand({ guardrailIdentifier: "fromconfig", guardrailVersion: "1" }));
    assert.deepEqual([got.guardrailId, got.name, got.version, got.wordPolicy], ["fromconfig", "from-config", "1", { words: [{ text: "forbidden" }] }]);
    const messaging = { name: "from-config", blockedInputMessaging: "no", blockedOutputsMessaging: "no" };
    for (const command of [
      new UpdateGuardrailCommand({ guardrailIdentifier: "fromconfig", ...messaging }),
      new DeleteGuardrailCommand({ guardrailIdentifier: "fromconfig" }),
      new CreateGuardrailVersionCommand({ guardrailIdentifier: "fromconfig" }),
    ]) {
      await assert.rejects(s.control.send(command as never), (err: unknown) => {
        assert.ok(err instanceof ValidationException);
        assert.match(err.message, /defined in the Basalt config file and is read-only/);
        return true;
      });
    }
  });
});
