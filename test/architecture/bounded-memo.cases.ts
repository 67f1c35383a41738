// boundedMemo: the remembered answer is the computed one (false and undefined included), computed once per
// argument while it is remembered, and again after the memory started over; it never holds more than its bound.
import assert from "node:assert/strict";
import { test } from "node:test";
import { boundedMemo } from "../../src/core/bounded-memo.js";

test("boundedMemo computes each argument once while remembered, falsy answers too, and starts over when full", () => {
  const calls: string[] = [];
  const answer = (key: string): boolean | undefined => {
    calls.push(key);
    return key === "u" ? undefined : key.length > 1;
  };
  const memo = boundedMemo(answer, 3);
  assert.equal(memo("a"), false);
  assert.equal(memo("u"), undefined);
  assert.equal(memo("bb"), true);
  assert.equal(memo("a"), false);
  assert.equal(memo("u"), undefined);
  assert.deepEqual(calls, ["a", "u", "bb"]);
  // A fourth argument: the memory starts over, every answer stays right.
  assert.equal(memo("ccc"), true);
  assert.equal(memo("a"), false);
  assert.equal(memo("ccc"), true);
  assert.deepEqual(calls, ["a", "u", "bb", "ccc", "a"]);
  for (let i = 0; i < 100; i++) assert.equal(memo(`k${i}`), true);
  assert.equal(memo("a"), false);
});
