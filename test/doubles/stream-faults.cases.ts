// Stream pacing and faults (src/gateway/policies/scripts/stream-faults.ts) counted exactly: N events then
// the exception or the cut, a fault past the end of a short stream firing at its end, stalls and pacing
// waiting at least as long as asked (never asserting an upper bound: the machine may be busy).
import { test } from "node:test";
import assert from "node:assert/strict";
import { BedrockError } from "../../src/core/errors.js";
import { StreamCut } from "../../src/core/stream-cut.js";
import { withStreamFaults } from "../../src/gateway/policies/scripts/stream-faults.js";

async function* numbers(n: number): AsyncIterable<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function run(n: number, faults: Parameters<typeof withStreamFaults>[1], isToken?: (x: number) => boolean) {
  const got: number[] = [];
  const times: number[] = [];
  const start = Date.now();
  try {
    for await (const x of withStreamFaults(numbers(n), faults, { signal: new AbortController().signal, isToken })) {
      got.push(x);
      times.push(Date.now() - start);
    }
  } catch (error) {
    return { got, times, error };
  }
  return { got, times };
}

test("exceptionAfterEvents: exactly N events, then the exception", async () => {
  for (const after of [0, 1, 5]) {
    const r = await run(10, { exceptionAfterEvents: { after, type: "ThrottlingException", message: "slow down" } });
    assert.equal(r.got.length, after);
    assert.ok(r.error instanceof BedrockError);
    assert.equal(r.error.errorName, "ThrottlingException");
    assert.equal(r.error.message, "slow down");
  }
});

test("cutAfterEvents: exactly N events, then a StreamCut (never a clean end)", async () => {
  const r = await run(10, { cutAfterEvents: 3 });
  assert.deepEqual(r.got, [0, 1, 2]);
  assert.ok(r.error instanceof StreamCut);
  assert.equal(r.error.afterEvents, 3);
});

test("a fault counted past the end of a shorter stream fires at its end; the earlier of two faults wins", async () => {
  const short = await run(2, { cutAfterEvents: 5 });
  assert.deepEqual(short.got, [0, 1]);
  assert.ok(short.error instanceof StreamCut);
  const both = await run(10, { cutAfterEvents: 4, exceptionAfterEvents: { after: 2, type: "ModelStreamErrorException" } });
  assert.equal(both.got.length, 2);
  assert.equal((both.error as BedrockError).errorName, "ModelStreamErrorException");
  assert.deepEqual((both.error as BedrockError).fields, { originalStatusCode: 500 });
});

test("ttftMs and stallAfterEvents wait at least as long as asked, at the right place", async () => {
  const r = await run(4, { ttftMs: 60, stallAfterEvents: { after: 2, ms: 120 } });
  assert.deepEqual(r.got, [0, 1, 2, 3]);
  assert.ok(r.times[0] >= 55, `first event after ${r.times[0]} ms`);
  assert.ok(r.times[2] - r.times[1] >= 115, `stall of ${r.times[2] - r.times[1]} ms`);
});

test("tokensPerSecond paces only token events, scheduled from the first", async () => {
  const r = await run(6, { tokensPerSecond: 20 }, (x) => x % 2 === 0);
  // Tokens 0, 2, 4: the third is due 100 ms after the first, which came after the run began.
  assert.ok(r.times[4] >= 95, `the third token came ${r.times[4]} ms after the start`);
});
