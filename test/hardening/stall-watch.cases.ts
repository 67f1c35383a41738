// The shared body-stall timer: a body without progress for stallMs is told once, between stallMs and
// 1.25 × stallMs; a body that keeps making progress, or has ended, is never told.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { progressed, unwatch, watchStall } from "../../src/server/stall-watch.js";

test("a stalled body is told once, near its limit; one making progress or ended is not", async () => {
  const told: Record<string, number[]> = { stalled: [], moving: [], ended: [] };
  const t0 = performance.now();
  watchStall(200, () => told.stalled.push(performance.now() - t0));
  const moving = watchStall(200, () => told.moving.push(performance.now() - t0));
  const ended = watchStall(200, () => told.ended.push(performance.now() - t0));
  unwatch(ended);
  for (let i = 0; i < 8; i++) {
    await sleep(50);
    progressed(moving);
  }
  unwatch(moving);
  await sleep(200);
  assert.equal(told.stalled.length, 1, "told once");
  assert.ok(told.stalled[0] >= 200 && told.stalled[0] < 200 * 1.25 + 100, `told after ${told.stalled[0]} ms`);
  assert.deepEqual(told.moving, []);
  assert.deepEqual(told.ended, []);
});
