// The config contract of issue 12: the `targets` form of a model entry with its defaults, the one-target form
// unchanged, the top-level `cache`, and errors that name the key at fault.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../src/config/load-config.js";
import { ModelRegistry } from "../../src/gateway/model-registry.js";

const PROVIDERS = `providers:
  primary: { type: openai, baseUrl: "http://127.0.0.1:1/v1" }
  secondary: { type: anthropic, baseUrl: "http://127.0.0.1:2" }
`;

test("the targets form parses with the documented defaults; the one-target form is unchanged", () => {
  const config = parseConfig(`${PROVIDERS}models:
  - id: chat
    targets:
      - { provider: primary, model: llama3.1:8b, weight: 3 }
      - { provider: secondary, model: gpt-4o-mini }
  - { id: basalt.echo, provider: echo }
cache: {}
`, "(test)");
  // Parsed into the one-target shape (the primary target) plus `routing`, so every reader of models: copes.
  assert.deepEqual(config.models?.[0], {
    id: "chat",
    provider: "primary",
    model: "llama3.1:8b",
    routing: {
      targets: [
        { provider: "primary", model: "llama3.1:8b", weight: 3 },
        { provider: "secondary", model: "gpt-4o-mini", weight: 1 },
      ],
      strategy: "fallback",
      retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 8000 },
      breaker: { failures: 5, cooldownMs: 30000 },
    },
  });
  assert.deepEqual(config.models?.[1], { id: "basalt.echo", provider: "echo" });
  assert.deepEqual(config.cache, { ttlSeconds: 300, maxEntries: 10000 });
  assert.equal(parseConfig("{}", "(test)").cache, undefined, "absent = off");
});

test("every key of the targets form is read", () => {
  const config = parseConfig(`${PROVIDERS}models:
  - id: chat
    family: anthropic
    targets: [{ provider: primary }, { provider: echo, model: other }]
    strategy: balance
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 20 }
    breaker: { failures: 2, cooldownMs: 500 }
    timeoutMs: 1500
cache: { ttlSeconds: 5, maxEntries: 7 }
storage: { redis: "redis://127.0.0.1:6379" }
`, "(test)");
  const chat = config.models?.[0];
  assert.equal(chat?.family, "anthropic");
  assert.equal(chat?.provider, "primary");
  assert.equal(chat?.model, undefined);
  assert.deepEqual(chat?.routing, {
    targets: [{ provider: "primary", weight: 1 }, { provider: "echo", model: "other", weight: 1 }],
    strategy: "balance",
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 20 },
    breaker: { failures: 2, cooldownMs: 500 },
    timeoutMs: 1500,
  });
  assert.deepEqual(config.cache, { ttlSeconds: 5, maxEntries: 7 });
  assert.equal(config.storage?.redis, "redis://127.0.0.1:6379");
});

test("bad targets entries are refused with the key at fault", () => {
  const refused = (models: string, pattern: RegExp) =>
    assert.throws(() => parseConfig(`${PROVIDERS}models:\n${models}`, "(test)"), (err: Error) => err instanceof ConfigError && pattern.test(err.message));
  refused("  - { id: chat, targets: [] }\n", /models\[0\]\.targets: Array must contain at least 1/);
  refused("  - { id: chat, targets: [{ provider: nowhere }] }\n", /models\[0\]\.targets\[0\]\.provider: no provider named "nowhere"/);
  refused("  - { id: chat, provider: primary, targets: [{ provider: primary }] }\n", /models\[0\]\.provider: not allowed with targets/);
  refused("  - { id: chat, targets: [{ provider: primary, weight: 0 }] }\n", /models\[0\]\.targets\[0\]\.weight/);
  refused("  - { id: chat, targets: [{ provider: primary }], strategy: random }\n", /models\[0\]\.strategy/);
  refused("  - { id: chat, targets: [{ provider: primary }], retry: { attempts: 0 } }\n", /models\[0\]\.retry\.attempts/);
  refused("  - { id: chat, targets: [{ provider: primary }], retry: { baseDelayMs: 9000 } }\n", /models\[0\]\.retry: baseDelayMs must not exceed maxDelayMs/);
  refused("  - { id: chat, targets: [{ provider: primary }], breaker: { failure: 3 } }\n", /models\[0\]\.breaker\.failure: unknown key/);
  refused("  - { id: chat, targets: [{ provider: primary }], timeout: 5 }\n", /models\[0\]\.timeout: unknown key/);
  refused("  - { id: chat }\n", /models\[0\]\.provider: Required/);
  refused("  - { id: chat, provider: echo, routing: {} }\n", /models\[0\]\.routing: unknown key/);
  assert.throws(() => parseConfig("cache: { ttl: 5 }", "(test)"), /cache\.ttl: unknown key/);
});

test("a targets model is served under its id, its info naming the primary target", async () => {
  const config = parseConfig(`${PROVIDERS}models:
  - id: chat
    family: anthropic
    targets: [{ provider: secondary, model: claude-x }, { provider: primary, model: llama }]
`, "(test)");
  const registry = new ModelRegistry(config);
  try {
    const served = registry.resolve("us.chat");
    assert.ok(served);
    assert.deepEqual(served.info, { id: "chat", provider: "secondary", model: "claude-x", family: "anthropic" });
    assert.equal(served.model.id, "chat");
    assert.equal(served.model.relay, undefined);
  } finally {
    await registry.close();
  }
});
