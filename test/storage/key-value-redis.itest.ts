// The Redis key-value store against the shared contract on a real redis-server (two clients, as two nodes),
// then outages: a killed Redis fails calls fast, a frozen one within the command timeout, the client
// reconnects by itself, and the degrading wrapper keeps admitting locally and switches back.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { DegradingKeyValueStore } from "../../src/storage/degrading-key-value-store.js";
import { StoreUnavailableError } from "../../src/storage/key-value-store.js";
import { RedisKeyValueStore } from "../../src/storage/redis-key-value-store.js";
import { type RunningRedis, startRedis } from "../helpers/services.js";
import { keyValueContract } from "./key-value.contract.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await sleep(50);
  }
}

let redis: RunningRedis;
const opened: RedisKeyValueStore[] = [];
async function openStore(options: { commandTimeoutMs?: number; keyPrefix?: string } = {}): Promise<RedisKeyValueStore> {
  const store = new RedisKeyValueStore({ url: redis.url, ...options });
  opened.push(store);
  assert.equal(await store.waitUntilReady(), true);
  return store;
}

let nodeA: RedisKeyValueStore;
let nodeB: RedisKeyValueStore;
before(async () => {
  redis = await startRedis();
  nodeA = await openStore();
  nodeB = await openStore();
});
after(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis.stop();
});

keyValueContract("redis", { store: () => nodeA, peer: () => nodeB });

describe("redis specifics", () => {
  test("keys carry the prefix, so two prefixes never see each other's values or windows", async () => {
    const other = await openStore({ keyPrefix: "other-app:" });
    await nodeA.set("shared-name", Buffer.from("basalt"));
    assert.equal(await other.get("shared-name"), undefined);
    await nodeA.admit("shared-window", 1, 1, 60_000);
    assert.equal((await other.admit("shared-window", 1, 1, 60_000)).admitted, true);
  });

  test("windows expire on the server: an idle window leaves no keys behind", async () => {
    const store = await openStore({ keyPrefix: "expiry-check:" });
    await store.admit("w", 1, 5, 100);
    await store.charge("w", 2, 100);
    await sleep(200);
    const raw = new Redis(redis.url);
    try {
      assert.deepEqual(await raw.keys("expiry-check:*"), []);
    } finally {
      raw.disconnect();
    }
    assert.deepEqual(await store.admit("w", 5, 5, 100), { admitted: true, used: 5 });
  });
});

describe("redis outages", () => {
  test("Redis killed: calls fail with StoreUnavailableError in well under a second, then recover by themselves", async () => {
    const store = await openStore();
    await store.set("before-kill", Buffer.from("v"));
    await redis.kill();
    for (const call of [() => store.get("before-kill"), () => store.admit("k", 1, 5, 1000), () => store.set("x", Buffer.from("y"))]) {
      const started = performance.now();
      await assert.rejects(call(), StoreUnavailableError);
      assert.ok(performance.now() - started < 1_000, `took ${performance.now() - started} ms`);
    }
    assert.equal(await store.ping(), false);
    await redis.restart();
    await eventually(() => store.ping(), "the client reconnects to the restarted Redis");
    // A fresh Redis has forgotten the script too; it is loaded again.
    assert.deepEqual(await store.admit("after-restart", 1, 5, 60_000), { admitted: true, used: 1 });
    await Promise.all(opened.map((s) => s.waitUntilReady()));
  });

  test("Redis frozen (SIGSTOP): a call fails within the command timeout instead of hanging", async () => {
    const store = await openStore({ commandTimeoutMs: 200 });
    redis.pause();
    try {
      const started = performance.now();
      await assert.rejects(store.admit("frozen", 1, 5, 1000), StoreUnavailableError);
      assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
    } finally {
      redis.resume();
    }
    await eventually(() => store.ping(), "answers again after SIGCONT");
  });

  test("degrading wrapper: keeps admitting on local counters while Redis is down, reports it, switches back", async () => {
    const states: boolean[] = [];
    const shared = await openStore();
    const store = new DegradingKeyValueStore({
      primary: shared,
      probeIntervalMs: 50,
      onStateChange: ({ degraded }) => states.push(degraded),
    });
    const observer = await openStore();
    assert.deepEqual(await store.admit("deg", 1, 3, 60_000), { admitted: true, used: 1 });
    assert.equal(store.degraded, false);

    await redis.kill();
    // The limit now counts locally, from zero: exactly 3 more, then refusals — and never an error.
    const local = await Promise.all(Array.from({ length: 5 }, () => store.admit("deg", 1, 3, 60_000)));
    assert.equal(local.filter((r) => r.admitted).length, 3);
    assert.equal(store.degraded, true);
    assert.equal(await store.ping(), true);
    await store.set("cache", Buffer.from("local"));
    assert.equal((await store.get("cache"))?.toString(), "local");

    await redis.restart();
    await eventually(async () => !store.degraded, "the wrapper switches back to Redis");
    assert.deepEqual(states, [true, false]);
    // Back on the shared store (a fresh Redis): what the wrapper admits, another node sees.
    assert.deepEqual(await store.admit("after", 1, 2, 60_000), { admitted: true, used: 1 });
    await observer.waitUntilReady();
    assert.deepEqual(await observer.admit("after", 1, 2, 60_000), { admitted: true, used: 2 });
    await store.close();
  });
});
