// The quota policy around the real echo model, counting in the real stores: requests and tokens per key and
// per model, counted exactly, a sliding window that frees up as admissions age, output tokens charged when
// the answer ends (streams too), and a counter store outage that never fails a call.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { EchoModel } from "../../src/providers/echo/echo-model.js";
import { wrapModel } from "../../src/core/model-middleware.js";
import { newCallRecord } from "../../src/core/call-record.js";
import type { Caller } from "../../src/core/caller.js";
import type { CallContext, ConverseInput, Model } from "../../src/core/model.js";
import { BedrockError } from "../../src/core/errors.js";
import { DegradingKeyValueStore, MemoryKeyValueStore, RedisKeyValueStore, type KeyValueStore } from "../../src/storage/index.js";
import { quotaPolicy, quotasApply, TOO_MANY_REQUESTS, TOO_MANY_TOKENS } from "../../src/gateway/policies/quotas.js";
import { recordAttempts } from "../../src/gateway/policies/record-attempts.js";
import type { Limits } from "../../src/auth/auth-config.js";
import { freePort } from "../helpers/services.js";

const WINDOW_MS = 400;

function ctxOf(caller: Caller): CallContext {
  return {
    requestedModelId: "basalt.echo", requestId: "r", startedAt: process.hrtime.bigint(), caller,
    record: newCallRecord({ requestId: "r", frontDoor: "bedrock", operation: "Converse", caller: caller.name }),
    signal: new AbortController().signal,
  };
}

const key = (name: string, limits?: Limits): Caller => ({ name, via: "sigv4", ...(limits && { limits }) });
/** Echo counts whitespace-separated words: this input is `n` tokens, and so is the reply. */
const words = (n: number): ConverseInput => ({ messages: [{ role: "user", content: [{ text: Array.from({ length: n }, (_, i) => `w${i}`).join(" ") }] }] });

function served(store: KeyValueStore, modelLimits?: Limits, onStoreError?: (err: unknown) => void): Model {
  return wrapModel(new EchoModel("basalt.echo"), [quotaPolicy({ store, modelLimits, windowMs: WINDOW_MS, onStoreError })]);
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    assert.ok(err instanceof BedrockError, String(err));
    return `${err.errorName}: ${err.message}`;
  }
}
const REQUESTS = `ThrottlingException: ${TOO_MANY_REQUESTS}`;
const TOKENS = `ThrottlingException: ${TOO_MANY_TOKENS}`;

describe("quota policy", () => {
  it("the count that admits a call under a token limit is not one of the call's upstream attempts", async () => {
    const info = { id: "basalt.echo", provider: "echo" };
    const model = wrapModel(new EchoModel("basalt.echo"), [quotaPolicy({ store: new MemoryKeyValueStore(), modelLimits: { tokensPerMinute: 1000 }, windowMs: WINDOW_MS }), recordAttempts(info)]);
    const ctx = ctxOf(key("a"));
    await model.converse(words(3), ctx);
    assert.equal(ctx.record.attempts.length, 1, JSON.stringify(ctx.record.attempts));
  });

  it("requests per minute per key: exactly the limit passes, the next is refused, other keys are apart", async () => {
    const model = served(new MemoryKeyValueStore());
    const a = ctxOf(key("a", { requestsPerMinute: 3 }));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await outcome(model.converse(words(1), a)));
    assert.deepEqual(results, ["ok", "ok", "ok", REQUESTS]);
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("b", { requestsPerMinute: 3 })))), "ok");
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("unlimited")))), "ok");
  });

  it("a sliding window: a slot frees when the oldest admission leaves it, not at a minute boundary", async () => {
    const model = served(new MemoryKeyValueStore());
    const a = ctxOf(key("a", { requestsPerMinute: 2 }));
    assert.equal(await outcome(model.converse(words(1), a)), "ok");
    await sleep(WINDOW_MS / 2);
    assert.equal(await outcome(model.converse(words(1), a)), "ok");
    assert.equal(await outcome(model.converse(words(1), a)), REQUESTS);
    await sleep(WINDOW_MS / 2 + 50); // the first has left the window, the second has not
    assert.equal(await outcome(model.converse(words(1), a)), "ok");
    assert.equal(await outcome(model.converse(words(1), a)), REQUESTS);
  });

  it("per model: all callers together; a refusal by the model's limit leaves the key's count alone", async () => {
    const store = new MemoryKeyValueStore();
    const model = served(store, { requestsPerMinute: 2 });
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("a")))), "ok");
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("b", { requestsPerMinute: 5 })))), "ok");
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("b", { requestsPerMinute: 5 })))), REQUESTS);
    assert.equal((await store.admit("quota:key:b:requests", 0, 5, WINDOW_MS)).used, 1);
  });

  it("tokens per minute: input tokens at admission (as CountTokens counts them), output tokens when the answer ends", async () => {
    const store = new MemoryKeyValueStore();
    const model = served(store);
    const a = ctxOf(key("a", { tokensPerMinute: 20 }));
    // 4 in + 4 out = 8 used; 8 + 4 = 12 ≤ 20 admitted, +4 out = 16; 16 + 4 = 20 ≤ 20 admitted (exactly at the
    // limit), +4 out = 24; 24 + 4 > 20 refused.
    assert.equal(await outcome(model.converse(words(4), a)), "ok");
    assert.equal((await store.admit("quota:key:a:tokens", 0, 20, WINDOW_MS)).used, 8);
    assert.equal(await outcome(model.converse(words(4), a)), "ok");
    assert.equal(await outcome(model.converse(words(4), a)), "ok");
    assert.equal(await outcome(model.converse(words(4), a)), TOKENS);
    assert.equal((await store.admit("quota:key:a:tokens", 0, 20, WINDOW_MS)).used, 24, "a refusal records nothing");
    assert.equal(await outcome(model.converse(words(5), ctxOf(key("b", { tokensPerMinute: 5 })))), "ok");
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("b", { tokensPerMinute: 5 })))), TOKENS);
    assert.equal(await outcome(model.converse(words(6), ctxOf(key("c", { tokensPerMinute: 5 })))), TOKENS, "more input than the whole limit");
  });

  it("a stream is admitted before its first event and charged its output when it ends", async () => {
    const store = new MemoryKeyValueStore();
    const model = served(store, { tokensPerMinute: 100 });
    const events = [];
    for await (const e of model.converseStream(words(3), ctxOf(key("a")))) events.push(Object.keys(e)[0]);
    assert.equal(events.at(-1), "metadata");
    await sleep(10);
    assert.equal((await store.admit("quota:model:basalt.echo:tokens", 0, 100, WINDOW_MS)).used, 6);
    const tight = served(new MemoryKeyValueStore(), { tokensPerMinute: 2 });
    const iterator = tight.converseStream(words(3), ctxOf(key("a")))[Symbol.asyncIterator]();
    assert.equal(await outcome(iterator.next()), TOKENS);
  });

  it("CountTokens is a request but spends no tokens", async () => {
    const store = new MemoryKeyValueStore();
    const model = served(store, { requestsPerMinute: 1, tokensPerMinute: 1 });
    assert.equal(await model.countTokens({ converse: words(50) }, ctxOf(key("a"))), 50);
    assert.equal(await outcome(model.countTokens({ converse: words(1) }, ctxOf(key("a")))), REQUESTS);
    assert.equal((await store.admit("quota:model:basalt.echo:tokens", 0, 1, WINDOW_MS)).used, 0);
  });

  it("a counter store that is down never fails a call: Redis unreachable degrades to local counters", async () => {
    const redis = new RedisKeyValueStore({ url: `redis://127.0.0.1:${await freePort()}`, connectTimeoutMs: 200 });
    const states: boolean[] = [];
    const store = new DegradingKeyValueStore({ primary: redis, onStateChange: (s) => states.push(s.degraded) });
    try {
      const model = served(store);
      const a = ctxOf(key("a", { requestsPerMinute: 2 }));
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await outcome(model.converse(words(1), a)));
      assert.deepEqual(results, ["ok", "ok", REQUESTS], "still counted, on this node");
      assert.deepEqual(states, [true]);
    } finally {
      await store.close();
    }
  });

  it("a store failing in a way it does not absorb lets the call through and says so", async () => {
    const errors: unknown[] = [];
    const fire = async (): Promise<never> => {
      throw new Error("disk on fire");
    };
    const broken: KeyValueStore = Object.assign(new MemoryKeyValueStore(), { admit: fire, admitAll: fire });
    const model = served(broken, { requestsPerMinute: 1 }, (err) => errors.push(err));
    assert.equal(await outcome(model.converse(words(1), ctxOf(key("a")))), "ok");
    assert.equal((errors[0] as Error).message, "disk on fire");
  });

  it("applies only where a limit could: a model's own, or any key's", () => {
    assert.equal(quotasApply(undefined, undefined), false);
    assert.equal(quotasApply({ keys: [{}] }, {}), false);
    assert.equal(quotasApply({ keys: [{ limits: { tokensPerMinute: 1 } }] }, undefined), true);
    assert.equal(quotasApply(undefined, { requestsPerMinute: 1 }), true);
  });
});
