// The one contract every KeyValueStore passes (memory, Redis): values with TTLs, and sliding-window
// admission counted exactly, also under 200 concurrent callers (from two clients where the store is shared).
// Timing checks never assume the machine is fast: each one measures its own preconditions and, when a stall
// broke them, runs again with a wider window.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { performance } from "node:perf_hooks";
import type { KeyValueStore } from "../../src/storage/key-value-store.js";

export interface KeyValueContractSubject {
  /** The store under test. */
  store: () => KeyValueStore;
  /** A second client of the same shared state (another Basalt node), when the store is shared. */
  peer?: () => KeyValueStore;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const freshKey = () => `contract:${randomUUID()}`;

/** Runs `scenario` with windows of 300, 600, 1200, 2400 ms until its timing preconditions held once. */
export async function withWidening(scenario: (windowMs: number) => Promise<boolean>): Promise<void> {
  for (let windowMs = 300; windowMs <= 2400; windowMs *= 2) if (await scenario(windowMs)) return;
  assert.fail("the machine stalled through every window; timing could not be checked");
}

export function keyValueContract(name: string, subject: KeyValueContractSubject): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    test("get, set, overwrite and delete round-trip bytes exactly", async () => {
      const store = subject.store();
      const key = freshKey();
      assert.equal(await store.get(key), undefined);
      const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x0d]);
      await store.set(key, bytes);
      assert.deepEqual(await store.get(key), bytes);
      await store.set(key, Buffer.from("second"));
      assert.equal((await store.get(key))?.toString(), "second");
      await store.delete(key);
      assert.equal(await store.get(key), undefined);
      await store.delete(key); // deleting what is gone is fine
    });

    test("a value read back is a copy: changing it does not change the store", async () => {
      const store = subject.store();
      const key = freshKey();
      const value = Buffer.from("abc");
      await store.set(key, value);
      value[0] = 0x7a;
      const read = await store.get(key);
      assert.equal(read?.toString(), "abc");
      if (read) read[0] = 0x7a;
      assert.equal((await store.get(key))?.toString(), "abc");
    });

    test("ttl: an entry expires after ttlMs; a later set without ttl keeps it for good", async () => {
      const store = subject.store();
      const [short, long, renewed] = [freshKey(), freshKey(), freshKey()];
      await store.set(short, Buffer.from("x"), 50);
      await store.set(long, Buffer.from("y"), 60_000);
      await store.set(renewed, Buffer.from("z"), 50);
      await store.set(renewed, Buffer.from("z2"));
      await sleep(120);
      assert.equal(await store.get(short), undefined);
      assert.equal((await store.get(long))?.toString(), "y");
      assert.equal((await store.get(renewed))?.toString(), "z2");
    });

    test("ttl and window arguments that mean nothing are refused with RangeError", async () => {
      const store = subject.store();
      const key = freshKey();
      for (const ttl of [0, -1, 1.5, Number.NaN]) await assert.rejects(store.set(key, Buffer.from("v"), ttl), RangeError);
      await assert.rejects(store.admit(key, -1, 10, 1000), RangeError);
      await assert.rejects(store.admit(key, 1, 10, 0), RangeError);
      await assert.rejects(store.admit(key, Number.NaN, 10, 1000), RangeError);
      await assert.rejects(store.admit(key, 1, -1, 1000), RangeError);
      await assert.rejects(store.charge(key, Number.POSITIVE_INFINITY, 1000), RangeError);
    });

    test("admission counts exactly to the limit, then refuses with a retry hint inside the window", async () => {
      const store = subject.store();
      const key = freshKey();
      for (let i = 1; i <= 5; i++) assert.deepEqual(await store.admit(key, 1, 5, 60_000), { admitted: true, used: i });
      const refused = await store.admit(key, 1, 5, 60_000);
      assert.equal(refused.admitted, false);
      assert.equal(refused.used, 5);
      assert.ok(refused.retryAfterMs !== undefined && refused.retryAfterMs > 0 && refused.retryAfterMs <= 60_000, `retryAfterMs ${refused.retryAfterMs}`);
      // Another key and a get/set key of the same name are untouched.
      assert.deepEqual(await store.admit(freshKey(), 1, 5, 60_000), { admitted: true, used: 1 });
      assert.equal(await store.get(key), undefined);
    });

    test("costs: a refused cost records nothing, a smaller one still fits, one above the limit never will", async () => {
      const store = subject.store();
      const key = freshKey();
      assert.deepEqual(await store.admit(key, 7, 10, 60_000), { admitted: true, used: 7 });
      const tooMuch = await store.admit(key, 4, 10, 60_000);
      assert.equal(tooMuch.admitted, false);
      assert.equal(tooMuch.used, 7);
      assert.deepEqual(await store.admit(key, 3, 10, 60_000), { admitted: true, used: 10 });
      const never = await store.admit(freshKey(), 11, 10, 60_000);
      assert.deepEqual(never, { admitted: false, used: 0 });
    });

    test("charge records without a limit and later admissions see it", async () => {
      const store = subject.store();
      const key = freshKey();
      await store.charge(key, 8, 60_000);
      assert.equal((await store.admit(key, 3, 10, 60_000)).admitted, false);
      assert.deepEqual(await store.admit(key, 2, 10, 60_000), { admitted: true, used: 10 });
      await store.charge(key, 5, 60_000); // over the limit: charged all the same
      const over = await store.admit(key, 0, 10, 60_000);
      assert.equal(over.admitted, false);
      assert.equal(over.used, 15);
      assert.ok(over.retryAfterMs !== undefined && over.retryAfterMs <= 60_000);
    });

    test("the window slides: old costs leave one by one, no boundary lets twice the limit through", async () => {
      const store = subject.store();
      await withWidening(async (windowMs) => {
        const key = freshKey();
        const t0 = performance.now();
        assert.equal((await store.admit(key, 2, 4, windowMs)).admitted, true); // A
        const aDone = performance.now();
        await sleep(windowMs / 2);
        const t1 = performance.now();
        const b = await store.admit(key, 2, 4, windowMs); // B, while A is still in the window
        const c = await store.admit(key, 1, 4, windowMs);
        if (performance.now() - t0 >= windowMs) return false;
        assert.deepEqual(b, { admitted: true, used: 4 });
        assert.equal(c.admitted, false);
        assert.equal(c.used, 4);
        await sleep(aDone + windowMs + 10 - performance.now()); // A has left, B has not
        const d = await store.admit(key, 2, 4, windowMs);
        const e = await store.admit(key, 1, 4, windowMs);
        if (performance.now() - t1 >= windowMs) return false;
        assert.deepEqual(d, { admitted: true, used: 4 });
        assert.equal(e.admitted, false);
        return true;
      });
    });

    test("retryAfterMs is honest: waiting that long lets the refused cost in", async () => {
      const store = subject.store();
      const key = freshKey();
      await store.admit(key, 3, 3, 300);
      const refused = await store.admit(key, 2, 3, 300);
      assert.equal(refused.admitted, false);
      assert.ok(refused.retryAfterMs !== undefined && refused.retryAfterMs <= 300);
      await sleep(refused.retryAfterMs + 5);
      assert.equal((await store.admit(key, 2, 3, 300)).admitted, true);
    });

    test("200 concurrent admissions against a limit of 50 admit exactly 50", async () => {
      const stores = [subject.store(), subject.peer?.() ?? subject.store()];
      const key = freshKey();
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % 2].admit(key, 1, 50, 60_000)));
      const admitted = results.filter((r) => r.admitted);
      assert.equal(admitted.length, 50);
      assert.deepEqual(admitted.map((r) => r.used).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.ok(results.filter((r) => !r.admitted).every((r) => r.used === 50));
    });

    test("admitAll: every window or none; the refusal names the first window that is full", async () => {
      const store = subject.store();
      const [a, b, c] = [freshKey(), freshKey(), freshKey()];
      const used = async (key: string, limit: number) => (await store.admit(key, 0, limit, 60_000)).used;
      assert.deepEqual(await store.admitAll([{ key: a, cost: 1, limit: 2 }, { key: b, cost: 5, limit: 6 }], 60_000), {});
      assert.deepEqual([await used(a, 2), await used(b, 6)], [1, 5]);
      // b has room for 1 more, not 2: a must not be charged for it.
      assert.deepEqual(await store.admitAll([{ key: a, cost: 1, limit: 2 }, { key: b, cost: 2, limit: 6 }], 60_000), { refused: 1 });
      assert.deepEqual([await used(a, 2), await used(b, 6)], [1, 5]);
      assert.deepEqual(await store.admitAll([{ key: c, cost: 3, limit: 3 }, { key: a, cost: 2, limit: 2 }, { key: b, cost: 1, limit: 6 }], 60_000), { refused: 1 });
      assert.equal(await used(c, 3), 0);
      assert.deepEqual(await store.admitAll([{ key: a, cost: 1, limit: 2 }, { key: b, cost: 1, limit: 6 }], 60_000), {});
      assert.deepEqual([await used(a, 2), await used(b, 6)], [2, 6]);
      assert.deepEqual(await store.admitAll([], 60_000), {});
      await assert.rejects(store.admitAll([{ key: a, cost: -1, limit: 2 }], 60_000), RangeError);
    });

    test("ping says healthy", async () => {
      assert.equal(await subject.store().ping(), true);
    });
  });
}
