// The LRU bound under the embedded store, SQLite's statements and echo's prompt cache: after any sequence of
// reads, writes and deletes it holds exactly what a plain least-recently-used list would, in the same order
// of eviction.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LruMap } from "../../src/storage/lru-map.js";

/** The obvious model: an array from least to most recently used. */
class ListLru {
  readonly order: Array<[number, number]> = [];
  constructor(readonly max: number) {}
  get(k: number): number | undefined {
    const i = this.order.findIndex(([key]) => key === k);
    if (i === -1) return undefined;
    const [entry] = this.order.splice(i, 1);
    this.order.push(entry);
    return entry[1];
  }
  set(k: number, v: number): void {
    this.delete(k);
    this.order.push([k, v]);
    if (this.order.length > this.max) this.order.shift();
  }
  delete(k: number): void {
    const i = this.order.findIndex(([key]) => key === k);
    if (i !== -1) this.order.splice(i, 1);
  }
}

test("LruMap: random reads, writes and deletes agree with a plain LRU list", () => {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (const max of [1, 2, 3, 8]) {
    const lru = new LruMap<number, number>(max);
    const model = new ListLru(max);
    for (let step = 0; step < 5_000; step++) {
      const key = random(max * 2 + 1);
      const op = random(10);
      if (op < 5) assert.equal(lru.get(key), model.get(key), `step ${step}: get ${key}`);
      else if (op < 9) {
        lru.set(key, step);
        model.set(key, step);
      } else {
        lru.delete(key);
        model.delete(key);
      }
      if (random(50) === 0) {
        lru.clear();
        model.order.length = 0;
      }
      assert.equal(lru.size, model.order.length, `step ${step}: size`);
    }
    // What is left, and its recency: reading every key in model order must find each one.
    for (const [key, value] of [...model.order]) assert.equal(lru.get(key), value);
  }
});

test("LruMap: the least recently read leaves first, not the first written", () => {
  const lru = new LruMap<string, number>(3);
  lru.set("a", 1);
  lru.set("b", 2);
  lru.set("c", 3);
  lru.get("c");
  lru.get("b");
  lru.get("a");
  lru.set("d", 4);
  assert.equal(lru.get("c"), undefined);
  assert.deepEqual(["a", "b", "d"].map((k) => lru.get(k)), [1, 2, 4]);
  assert.throws(() => new LruMap(0), RangeError);
});
