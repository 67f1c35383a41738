// The `auth:` section's schema: what a key needs, what must be unique, what is refused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authConfigSchema } from "../../src/auth/auth-config.js";

const issues = (value: unknown): string[] => {
  const r = authConfigSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("auth config", () => {
  it("takes the issue's example", () => {
    assert.deepEqual(issues({
      keys: [
        { name: "team-a", accessKeyId: "AKIDTEAMA0000001", secretAccessKey: "s3cret", models: ["basalt.echo", "anthropic.*"], limits: { requestsPerMinute: 60, tokensPerMinute: 100000 } },
        { name: "ci", apiKey: "ABSK-ci-key-0123456789" },
      ],
      adminKey: "admin-key-0123456789",
    }), []);
    assert.deepEqual(authConfigSchema.parse({}), { keys: [] });
  });

  it("refuses half an access key, a key with no credential, short secrets and unknown fields", () => {
    assert.deepEqual(issues({ keys: [{ name: "a", accessKeyId: "AKIDA000" }] }), ["keys.0.secretAccessKey: accessKeyId and secretAccessKey go together"]);
    assert.deepEqual(issues({ keys: [{ name: "a" }] }), ["keys.0: needs accessKeyId/secretAccessKey or apiKey"]);
    assert.deepEqual(issues({ keys: [{ name: "a", apiKey: "short" }] }), ["keys.0.apiKey: must be at least 16 characters"]);
    assert.deepEqual(issues({ adminKey: "short" }), ["adminKey: must be at least 16 characters"]);
    assert.equal(issues({ keys: [{ name: "a", apiKey: "0123456789abcdef", rpm: 3 }] }).length, 1);
    assert.equal(issues({ keys: [{ name: "a", apiKey: "0123456789abcdef", limits: { requestsPerMinute: 0 } }] }).length, 1);
  });

  it("refuses duplicate names, access key ids, API keys, and an API key that is the admin key", () => {
    const k = "0123456789abcdef";
    assert.deepEqual(issues({ keys: [{ name: "a", apiKey: k }, { name: "a", apiKey: k + "x" }] }), ['keys.1.name: "a" is used by two keys']);
    assert.deepEqual(issues({ keys: [{ name: "a", apiKey: k }, { name: "b", apiKey: k }] }), ['keys.1.apiKey: "…" is used by two keys']);
    assert.deepEqual(issues({ keys: [{ name: "a", accessKeyId: "AKID1", secretAccessKey: "x" }, { name: "b", accessKeyId: "AKID1", secretAccessKey: "y" }] }),
      ['keys.1.accessKeyId: "AKID1" is used by two keys']);
    assert.deepEqual(issues({ keys: [{ name: "a", apiKey: k }], adminKey: k }), ["keys.0.apiKey: must differ from adminKey"]);
  });
});
