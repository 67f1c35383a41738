// The guardrails policy as a model middleware: calls without guardrailConfig pass untouched, a relayed
// (Bedrock upstream) model keeps its relay, and the policy never calls the model on a blocked input.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { wrapModel } from "../../src/core/model-middleware.js";
import type { Model, RelayCall } from "../../src/core/model.js";
import { guardrailsPolicy } from "../../src/gateway/policies/guardrails/guardrails-policy.js";
import { builtinClassifier } from "../../src/guardrails/classifier/builtin-classifier.js";
import { GuardrailService } from "../../src/guardrails/guardrail-service.js";
import { GuardrailStore } from "../../src/guardrails/guardrail-store.js";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { callContext, CountingBackend, say } from "../doubles/in-process.js";

async function service() {
  const db = new SqliteDatabase(join(mkdtempSync(join(tmpdir(), "basalt-guardrails-")), "basalt.db"));
  const store = await GuardrailStore.open({
    db,
    configGuardrails: [{ id: "words", definition: { name: "w", blockedInputMessaging: "no", blockedOutputsMessaging: "no", wordPolicyConfig: { wordsConfig: [{ text: "blocked" }] } } }],
  });
  return new GuardrailService(store, builtinClassifier);
}

describe("guardrails policy", () => {
  it("passes calls without guardrailConfig to the model untouched", async () => {
    const backend = new CountingBackend();
    const model = wrapModel(backend, [guardrailsPolicy(await service())]);
    const out = await model.converse(say("this word is blocked"), callContext());
    assert.equal(backend.calls, 1);
    assert.equal(out.stopReason, "end_turn");
  });

  it("does not call the model when the input is blocked", async () => {
    const backend = new CountingBackend();
    const model = wrapModel(backend, [guardrailsPolicy(await service())]);
    const ctx = callContext();
    const out = await model.converse({ ...say("this is blocked"), guardrailConfig: { guardrailIdentifier: "words", guardrailVersion: "1" } }, ctx);
    assert.equal(backend.calls, 0);
    assert.equal(out.stopReason, "guardrail_intervened");
    assert.equal(ctx.record.guardrailAction, "GUARDRAIL_INTERVENED");
  });

  it("keeps a relayed model's relay (the Bedrock upstream applies guardrails itself)", async () => {
    const relayed: RelayCall[] = [];
    const backend: Model = Object.assign(new CountingBackend(), {
      relay: async (call: RelayCall) => (relayed.push(call), { status: 200, headers: {}, body: (async function* () {})() }),
    });
    const model = wrapModel(backend, [guardrailsPolicy(await service())]);
    assert.ok(model.relay, "relay kept");
    await model.relay!({ action: "converse", body: new Uint8Array(), headers: {} }, callContext());
    assert.equal(relayed.length, 1);
  });
});
