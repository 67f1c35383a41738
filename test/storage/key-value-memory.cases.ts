// The embedded key-value store against the shared contract, plus what only it has: the LRU bound.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryKeyValueStore } from "../../src/storage/memory-key-value-store.js";
import { keyValueContract } from "./key-value.contract.js";

const store = new MemoryKeyValueStore();
keyValueContract("memory", { store: () => store });

test("memory: at most maxEntries values, the least recently used leave first", async () => {
  const small = new MemoryKeyValueStore({ maxEntries: 2 });
  await small.set("a", Buffer.from("1"));
  await small.set("b", Buffer.from("2"));
  await small.get("a"); // a is now more recent than b
  await small.set("c", Buffer.from("3"));
  assert.equal(await small.get("b"), undefined);
  assert.equal((await small.get("a"))?.toString(), "1");
  assert.equal((await small.get("c"))?.toString(), "3");
});

test("memory: admission windows are bounded too, a forgotten window starts empty", async () => {
  const small = new MemoryKeyValueStore({ maxEntries: 2 });
  assert.equal((await small.admit("w1", 1, 1, 60_000)).admitted, true);
  await small.admit("w2", 1, 1, 60_000);
  await small.admit("w3", 1, 1, 60_000);
  assert.equal((await small.admit("w3", 1, 1, 60_000)).admitted, false);
  assert.equal((await small.admit("w1", 1, 1, 60_000)).admitted, true);
});
