// The guardrail store's contract, run against every SQL database (guardrail-store-*.test.ts): ids and ARNs,
// DRAFT and numbered versions, full-replacement updates, deletes, listing and paging, idempotency tokens,
// and config guardrails served read-only.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BedrockError } from "../../src/core/errors.js";
import type { GuardrailDefinition } from "../../src/guardrails/guardrail-definition.js";
import { GuardrailStore } from "../../src/guardrails/guardrail-store.js";
import type { SqlDatabase } from "../../src/storage/sql-database.js";

const def = (name: string, extra: Partial<GuardrailDefinition> = {}): GuardrailDefinition => ({
  name, blockedInputMessaging: "in blocked", blockedOutputsMessaging: "out blocked", ...extra,
});

async function rejectsWith(p: Promise<unknown>, name: string, message?: RegExp) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof BedrockError);
    assert.equal(err.errorName, name);
    if (message) assert.match(err.message, message);
    return true;
  });
}

export function guardrailStoreContract(label: string, freshDatabase: () => Promise<SqlDatabase>): void {
  async function open(opts: Partial<Parameters<typeof GuardrailStore.open>[0]> = {}) {
    let clock = 1_700_000_000_000;
    return GuardrailStore.open({ db: await freshDatabase(), now: () => (clock += 1000), ...opts });
  }

  describe(`guardrail store (${label})`, () => {
    it("creates a guardrail with a Bedrock-shaped id and ARN, as a READY DRAFT", async () => {
      const store = await open({ region: "eu-west-1", accountId: "123456789012" });
      const created = await store.create(def("first", { description: "d" }));
      assert.match(created.id, /^[a-z0-9]{12}$/);
      assert.equal(created.arn, `arn:aws:bedrock:eu-west-1:123456789012:guardrail/${created.id}`);
      assert.equal(created.version, "DRAFT");
      assert.equal(created.status, "READY");
      const got = await store.get(created.id);
      assert.deepEqual(got.definition, def("first", { description: "d" }));
      assert.equal((await store.get(created.arn)).id, created.id, "an ARN names the guardrail too");
    });

    it("freezes versions 1, 2, … from the DRAFT, never reusing a number", async () => {
      const store = await open();
      const { id } = await store.create(def("versions", { wordPolicyConfig: { wordsConfig: [{ text: "one" }] } }));
      const v1 = await store.createVersion(id, { description: "first cut" });
      assert.equal(v1.version, "1");
      await store.update(id, def("versions", { wordPolicyConfig: { wordsConfig: [{ text: "two" }] } }));
      const v2 = await store.createVersion(id);
      assert.equal(v2.version, "2");
      assert.deepEqual((await store.get(id, "1")).definition.wordPolicyConfig, { wordsConfig: [{ text: "one" }] });
      assert.equal((await store.get(id, "1")).description, "first cut");
      assert.deepEqual((await store.get(id, "2")).definition.wordPolicyConfig, { wordsConfig: [{ text: "two" }] });
      await store.delete(id, "2");
      await rejectsWith(store.get(id, "2"), "ResourceNotFoundException", /version 2/);
      assert.equal((await store.createVersion(id)).version, "3");
    });

    it("treats UpdateGuardrail as a full replacement and moves updatedAt", async () => {
      const store = await open();
      const created = await store.create(def("upd", { topicPolicyConfig: { topicsConfig: [{ name: "t", definition: "d", type: "DENY" }] } }));
      const updated = await store.update(created.id, def("upd-renamed"));
      assert.ok(updated.updatedAt > created.updatedAt);
      const got = await store.get(created.id);
      assert.equal(got.definition.name, "upd-renamed");
      assert.equal(got.definition.topicPolicyConfig, undefined);
    });

    it("refuses a second guardrail with the same name", async () => {
      const store = await open();
      await store.create(def("same"));
      await rejectsWith(store.create(def("same")), "ConflictException", /same/);
    });

    it("answers an unknown id or version with ResourceNotFoundException", async () => {
      const store = await open();
      const { id } = await store.create(def("x"));
      await rejectsWith(store.get("nosuchguardrail"), "ResourceNotFoundException", /nosuchguardrail/);
      await rejectsWith(store.get(id, "7"), "ResourceNotFoundException");
      assert.equal(await store.find("nosuch"), undefined);
      assert.equal(await store.find("Not An Id"), undefined);
      await rejectsWith(store.update("nosuch", def("x")), "ResourceNotFoundException");
      await rejectsWith(store.delete("nosuch"), "ResourceNotFoundException");
      await rejectsWith(store.createVersion("nosuch"), "ResourceNotFoundException");
    });

    it("deletes a guardrail with all its versions", async () => {
      const store = await open();
      const { id } = await store.create(def("gone"));
      await store.createVersion(id);
      await store.delete(id);
      await rejectsWith(store.get(id), "ResourceNotFoundException");
      await rejectsWith(store.get(id, "1"), "ResourceNotFoundException");
      await store.create(def("gone")); // the name is free again
    });

    it("lists DRAFTs of all guardrails, or every version of one, in pages", async () => {
      const store = await open();
      const ids: string[] = [];
      for (const n of ["a", "b", "c"]) ids.push((await store.create(def(n))).id);
      await store.createVersion(ids[0]);
      await store.createVersion(ids[0]);
      const all = await store.list();
      assert.deepEqual(all.guardrails.map((g) => [g.definition.name, g.version]), [["a", "DRAFT"], ["b", "DRAFT"], ["c", "DRAFT"]]);
      assert.equal(all.nextToken, undefined);
      const one = await store.list({ identifier: ids[0] });
      assert.deepEqual(one.guardrails.map((g) => g.version), ["DRAFT", "1", "2"]);
      const page1 = await store.list({ maxResults: 2 });
      assert.equal(page1.guardrails.length, 2);
      assert.ok(page1.nextToken);
      const page2 = await store.list({ maxResults: 2, nextToken: page1.nextToken });
      assert.deepEqual(page2.guardrails.map((g) => g.definition.name), ["c"]);
      assert.equal(page2.nextToken, undefined);
      await rejectsWith(store.list({ nextToken: "garbage!" }), "ValidationException");
      await rejectsWith(store.list({ identifier: "nosuch" }), "ResourceNotFoundException");
    });

    it("honours client request tokens on create and on version", async () => {
      const store = await open();
      const a = await store.create(def("idem"), { clientRequestToken: "tok-1" });
      const b = await store.create(def("idem"), { clientRequestToken: "tok-1" });
      assert.equal(a.id, b.id);
      const v1 = await store.createVersion(a.id, { clientRequestToken: "v-tok" });
      const again = await store.createVersion(a.id, { clientRequestToken: "v-tok" });
      assert.equal(again.version, v1.version);
      assert.equal((await store.createVersion(a.id)).version, "2");
    });

    it("keeps guardrails across reopening the same database", async () => {
      const db = await freshDatabase();
      const first = await GuardrailStore.open({ db });
      const { id } = await first.create(def("durable"));
      await first.createVersion(id);
      const second = await GuardrailStore.open({ db });
      assert.equal((await second.get(id, "1")).definition.name, "durable");
    });

    it("serves config guardrails as DRAFT and 1, listed with the others, and refuses to change them", async () => {
      const store = await open({ configGuardrails: [{ id: "fromconfig", definition: def("configured") }] });
      await store.create(def("api-made"));
      assert.equal((await store.get("fromconfig")).origin, "config");
      assert.deepEqual((await store.get("fromconfig", "1")).definition, def("configured"));
      await rejectsWith(store.get("fromconfig", "2"), "ResourceNotFoundException");
      assert.deepEqual((await store.list()).guardrails.map((g) => g.definition.name), ["configured", "api-made"]);
      assert.deepEqual((await store.list({ identifier: "fromconfig" })).guardrails.map((g) => g.version), ["DRAFT", "1"]);
      await rejectsWith(store.update("fromconfig", def("configured")), "ValidationException", /config file/);
      await rejectsWith(store.delete("fromconfig"), "ValidationException", /config file/);
      await rejectsWith(store.createVersion("fromconfig"), "ValidationException", /config file/);
      await rejectsWith(store.create(def("configured")), "ConflictException");
    });

    it("compiles each version once", async () => {
      const store = await open();
      const { id } = await store.create(def("compiled", { wordPolicyConfig: { wordsConfig: [{ text: "x" }] } }));
      const record = await store.get(id);
      assert.equal(store.compiled(record), store.compiled(await store.get(id)));
    });
  });
}
