// The response cache in process: the canonical key, hits without a model call, streams stored once complete
// and replayed event for event with a fresh latency, nothing stored from a failure or a cut stream, and a
// failing store that never fails a call.
import { createHash } from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import { BedrockError } from "../../src/core/errors.js";
import type { ConverseInput, Model, StreamEvent } from "../../src/core/model.js";
import { wrapModel } from "../../src/core/model-middleware.js";
import { cacheKey, canonicalJson } from "../../src/gateway/policies/cache/cache-key.js";
import { responseCachePolicy } from "../../src/gateway/policies/cache/response-cache.js";
import { quotaPolicy } from "../../src/gateway/policies/quotas.js";
import { MemoryKeyValueStore } from "../../src/storage/memory-key-value-store.js";
import { StoreUnavailableError, type KeyValueStore } from "../../src/storage/key-value-store.js";
import { callContext, CountingBackend, drain, say } from "../doubles/in-process.js";

const cached = (backend: Model, store: KeyValueStore = new MemoryKeyValueStore()) =>
  wrapModel(backend, [responseCachePolicy({ store, ttlSeconds: 60 })]);

test("canonical JSON: key order does not matter, array order does", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
});

test("canonical JSON: keys in Array.prototype.sort's order for any key set (small, large, numeric, non-ASCII)", () => {
  // The reference: every object rebuilt with its keys through sort(), then plain JSON.
  const reference = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(reference);
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, reference((v as Record<string, unknown>)[k])]));
  };
  const alphabet = ["a", "B", "z", "é", "10", "9", "_", "Ω", "😀", "aa", ""];
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 300; round++) {
    const obj: Record<string, unknown> = {};
    const size = random(3) === 0 ? 33 + random(20) : random(12);
    for (let i = 0; i < size; i++) {
      const key = alphabet[random(alphabet.length)] + alphabet[random(alphabet.length)] + (random(4) === 0 ? String(random(100)) : "");
      obj[key] = random(5) === 0 ? { [alphabet[random(alphabet.length)]]: i, y: [i], b: null } : i;
    }
    // JSON.stringify of the rebuilt object keeps integer-like keys first; compare key lists, not text.
    const keysOf = (json: string) => [...json.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => m[1]);
    const ours = canonicalJson(obj);
    assert.deepEqual(JSON.parse(ours), reference(obj));
    const expected: string[] = [];
    (function walk(v: unknown) {
      if (v === null || typeof v !== "object") return;
      if (Array.isArray(v)) return v.forEach(walk);
      for (const k of Object.keys(v).sort()) {
        expected.push(JSON.stringify(k).slice(1, -1));
        walk((v as Record<string, unknown>)[k]);
      }
    })(obj);
    assert.deepEqual(keysOf(ours), expected);
  }
});

test("cache key: the served model, the answer kind and the request; not requestMetadata", () => {
  const a: ConverseInput = { messages: say("hi").messages, inferenceConfig: { maxTokens: 5, temperature: 0 } };
  const reordered = JSON.parse('{"inferenceConfig":{"temperature":0,"maxTokens":5},"messages":[{"content":[{"text":"hi"}],"role":"user"}]}') as ConverseInput;
  assert.equal(cacheKey("chat", "converse", a), cacheKey("chat", "converse", reordered));
  assert.equal(cacheKey("chat", "converse", a), cacheKey("chat", "converse", { ...a, requestMetadata: { team: "x" } }));
  assert.notEqual(cacheKey("chat", "converse", a), cacheKey("other", "converse", a));
  assert.notEqual(cacheKey("chat", "converse", a), cacheKey("chat", "stream", a));
  assert.notEqual(cacheKey("chat", "converse", a), cacheKey("chat", "converse", { ...a, inferenceConfig: { maxTokens: 6, temperature: 0 } }));
});

test("cache key: v1 keys stay what they were (entries already in a shared store stay hits after an upgrade)", () => {
  const a: ConverseInput = { messages: say("hi").messages, inferenceConfig: { maxTokens: 5 } };
  // The v1 formula as first shipped: SHA-256 over the model and kind, then the canonical request.
  const v1 = createHash("sha256").update(JSON.stringify(["chat", "stream"])).update(canonicalJson(a)).digest("base64url");
  assert.equal(cacheKey("chat", "stream", a), `response-cache:v1:${v1}`);
});

test("Converse: the second identical call is a hit with no model call and a fresh latency", async () => {
  const backend = new CountingBackend("chat");
  const model = cached(backend);
  const first = callContext();
  const out1 = await model.converse(say("hi"), first);
  assert.equal(first.record.cache, "miss");
  const second = callContext();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const out2 = await model.converse(say("hi"), second);
  assert.equal(second.record.cache, "hit");
  assert.equal(backend.calls, 1);
  assert.deepEqual({ ...out2, metrics: undefined }, { ...out1, metrics: undefined });
  assert.equal(out1.metrics!.latencyMs, 1);
  assert.ok(out2.metrics!.latencyMs >= 19, `the hit's own latency: ${out2.metrics!.latencyMs} ms`);
  await model.converse(say("something else"), callContext());
  assert.equal(backend.calls, 2);
});

test("ConverseStream: stored once complete, replayed as the same events with a fresh latencyMs", async () => {
  const backend = new CountingBackend("chat", "one two three");
  const model = cached(backend);
  const miss = await drain(model.converseStream(say("hi"), callContext()));
  const ctx = callContext();
  const hit = await drain(model.converseStream(say("hi"), ctx));
  assert.equal(ctx.record.cache, "hit");
  assert.equal(backend.calls, 1);
  const withoutLatency = (events: StreamEvent[]) => events.map((e) => (e.metadata ? { metadata: { ...e.metadata, metrics: undefined } } : e));
  assert.deepEqual(withoutLatency(hit.events), withoutLatency(miss.events));
  assert.equal(typeof hit.events.at(-1)?.metadata?.metrics.latencyMs, "number");
  // A stream and a whole answer are cached apart: a Converse of the same request is a miss.
  await model.converse(say("hi"), callContext());
  assert.equal(backend.calls, 2);
});

test("failures and cut streams are not stored", async () => {
  let calls = 0;
  const failing: Model = {
    id: "chat",
    async converse() {
      calls++;
      throw new BedrockError("ModelErrorException", "boom", { originalStatusCode: 500 });
    },
    async *converseStream() {
      calls++;
      yield { messageStart: { role: "assistant" } };
      throw new BedrockError("ModelStreamErrorException", "cut");
    },
    countTokens: async () => 1,
  };
  const model = cached(failing);
  for (let i = 0; i < 2; i++) await assert.rejects(model.converse(say("hi"), callContext()), { name: "ModelErrorException" });
  for (let i = 0; i < 2; i++) assert.ok((await drain(model.converseStream(say("hi"), callContext()))).error);
  assert.equal(calls, 4);

  // A stream the client left half-way is not complete either.
  const backend = new CountingBackend("chat", "a b c d");
  const model2 = cached(backend);
  for await (const event of model2.converseStream(say("hi"), callContext())) if (event.contentBlockDelta) break;
  await drain(model2.converseStream(say("hi"), callContext()));
  assert.equal(backend.calls, 2);
});

test("a store that fails is a miss, never a failed call", async () => {
  const broken: KeyValueStore = Object.assign(new MemoryKeyValueStore(), {
    get: async () => {
      throw new StoreUnavailableError("down");
    },
    set: async () => {
      throw new Error("unexpected");
    },
  });
  const errors: unknown[] = [];
  const backend = new CountingBackend("chat");
  const model = wrapModel(backend, [responseCachePolicy({ store: broken, ttlSeconds: 60, onStoreError: (e) => errors.push(e) })]);
  const ctx = callContext();
  await model.converse(say("hi"), ctx);
  await model.converse(say("hi"), callContext());
  assert.equal(ctx.record.cache, "miss");
  assert.equal(backend.calls, 2);
  assert.equal(errors.length, 4);
  assert.deepEqual((await drain(model.converseStream(say("hi"), callContext()))).error, undefined);
});

test("entries expire after ttlSeconds; CountTokens is never cached", async () => {
  const backend = new CountingBackend("chat");
  const store = new MemoryKeyValueStore();
  const model = wrapModel(backend, [responseCachePolicy({ store, ttlSeconds: 1 })]);
  await model.converse(say("hi"), callContext());
  await model.converse(say("hi"), callContext());
  assert.equal(backend.calls, 1);
  await new Promise((resolve) => setTimeout(resolve, 1050));
  await model.converse(say("hi"), callContext());
  assert.equal(backend.calls, 2);
  await model.countTokens({ converse: { messages: say("hi").messages } }, callContext());
  await model.countTokens({ converse: { messages: say("hi").messages } }, callContext());
  assert.equal(backend.calls, 4);
});

test("a hit charges no output tokens to the quotas around the cache", async () => {
  const store = new MemoryKeyValueStore();
  const backend = new CountingBackend("chat", "four words of answer");
  const model = wrapModel(backend, [
    quotaPolicy({ store, modelLimits: { tokensPerMinute: 1000 } }),
    responseCachePolicy({ store: new MemoryKeyValueStore(), ttlSeconds: 60 }),
  ]);
  const used = async () => (await store.admit("quota:model:chat:tokens", 0, 1000, 60_000)).used;
  const calls = [callContext(), callContext(), callContext(), callContext()];
  await model.converse(say("hi"), calls[0]);
  const afterMiss = await used();
  await model.converse(say("hi"), calls[1]);
  const afterHit = await used();
  await drain(model.converseStream(say("hi"), calls[2]));
  const afterStreamMiss = await used();
  await drain(model.converseStream(say("hi"), calls[3]));
  const afterStreamHit = await used();
  assert.deepEqual(calls.map((c) => c.record.cache), ["miss", "hit", "miss", "hit"]);
  const input = afterHit - afterMiss; // a hit still counts its input at admission
  assert.ok(input > 0);
  assert.equal(afterMiss, input + 3, "the miss: input plus its 3 output tokens");
  assert.equal(afterStreamMiss - afterHit, input + 3);
  assert.equal(afterStreamHit - afterStreamMiss, input, "the stream hit: input only");
});
