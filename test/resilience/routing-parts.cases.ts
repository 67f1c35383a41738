// The parts of a routed model, one by one: which failures are transient, the backoff, the breaker's states,
// the order targets are tried in (fallback as listed; balance by smooth weighted round-robin).
import { test } from "node:test";
import assert from "node:assert/strict";
import { BedrockError } from "../../src/core/errors.js";
import { jitteredDelay, retryDelay, waitUnlessAborted } from "../../src/gateway/policies/resilience/backoff.js";
import { CircuitBreaker, type BreakerState } from "../../src/gateway/policies/resilience/circuit-breaker.js";
import { TargetOrder } from "../../src/gateway/policies/resilience/target-order.js";
import { isTransient, retryAfterMsOf } from "../../src/gateway/policies/resilience/transient-failure.js";
import { parseRetryAfterMs } from "../../src/providers/shared/parse-retry-after.js";

test("transient: throttling, unavailable (refused/reset/529), timeouts and an upstream's 5xx; never the caller's 4xx", () => {
  const transient = [
    new BedrockError("ThrottlingException", "slow down"),
    new BedrockError("ServiceUnavailableException", "connection refused"),
    new BedrockError("ModelTimeoutException", "timed out"),
    new BedrockError("ModelNotReadyException", "warming up"),
    new BedrockError("InternalServerException", "bedrock had a bad moment"),
    new BedrockError("ModelErrorException", "upstream 500", { originalStatusCode: 500 }),
    new BedrockError("ModelErrorException", "upstream 502", { originalStatusCode: 502 }),
  ];
  const final = [
    new BedrockError("ValidationException", "bad request"),
    new BedrockError("AccessDeniedException", "no"),
    new BedrockError("ResourceNotFoundException", "no such model"),
    new BedrockError("ServiceQuotaExceededException", "quota"),
    new BedrockError("ModelErrorException", "upstream said 424", { originalStatusCode: 424 }),
    new Error("a bug, not a BedrockError"),
    "not even an error",
  ];
  for (const err of transient) assert.equal(isTransient(err), true, (err as Error).message);
  for (const err of final) assert.equal(isTransient(err), false, String(err));
});

test("retryAfterMsOf reads the wait an error carries, and nothing else", () => {
  const err = new BedrockError("ThrottlingException", "slow down", {}, { retryAfterMs: 1000 });
  assert.equal(retryAfterMsOf(err), 1000);
  assert.equal(retryAfterMsOf(new BedrockError("ThrottlingException", "slow down")), undefined);
  assert.equal(retryAfterMsOf(Object.assign(new Error("x"), { retryAfterMs: 5 })), undefined);
});

test("Retry-After from an upstream's headers: retry-after-ms first, then seconds or an HTTP date", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  assert.equal(parseRetryAfterMs({ "retry-after": "1" }, now), 1000);
  assert.equal(parseRetryAfterMs({ "retry-after": "0.5" }, now), 500);
  assert.equal(parseRetryAfterMs({ "retry-after-ms": "250", "retry-after": "1" }, now), 250);
  assert.equal(parseRetryAfterMs({ "retry-after": "Tue, 01 Dec 2026 12:00:03 GMT" }, now), 3000);
  assert.equal(parseRetryAfterMs({ "retry-after": "Tue, 01 Dec 2026 11:00:00 GMT" }, now), 0);
  assert.equal(parseRetryAfterMs({ "retry-after": ["2", "9"] }, now), 2000);
  for (const bad of ["soon", "-1", ""]) assert.equal(parseRetryAfterMs({ "retry-after": bad }, now), undefined, bad);
  assert.equal(parseRetryAfterMs({}, now), undefined);
});

test("backoff: full jitter below a cap that doubles per retry up to maxDelayMs", () => {
  const retry = { attempts: 6, baseDelayMs: 200, maxDelayMs: 1000 };
  const caps = [1, 2, 3, 4, 5].map((n) => jitteredDelay(retry, n, () => 0.999_999));
  assert.deepEqual(caps, [199, 399, 799, 999, 999]);
  assert.equal(jitteredDelay(retry, 3, () => 0), 0);
  assert.equal(jitteredDelay(retry, 2, () => 0.5), 200);
});

test("backoff: Retry-After is honoured exactly, and one longer than maxDelayMs means no retry of this target", () => {
  const retry = { attempts: 3, baseDelayMs: 200, maxDelayMs: 8000 };
  assert.equal(retryDelay(retry, 1, 1000, () => 0), 1000);
  assert.equal(retryDelay(retry, 1, 8000), 8000);
  assert.equal(retryDelay(retry, 1, 8001), undefined);
  assert.equal(retryDelay(retry, 1, undefined, () => 0.5), 100);
});

test("waitUnlessAborted: waits, or stops at once when the client goes away", async () => {
  const started = performance.now();
  assert.equal(await waitUnlessAborted(30, new AbortController().signal), true);
  assert.ok(performance.now() - started >= 29);
  const gone = new AbortController();
  setTimeout(() => gone.abort(), 10);
  const t0 = performance.now();
  assert.equal(await waitUnlessAborted(10_000, gone.signal), false);
  assert.ok(performance.now() - t0 < 5_000);
  assert.equal(await waitUnlessAborted(10, AbortSignal.abort()), false);
});

function breakerAt(clock: { now: number }, failures = 3, cooldownMs = 1000) {
  const changes: BreakerState[] = [];
  const breaker = new CircuitBreaker({ failures, cooldownMs, now: () => clock.now, onStateChange: (s) => changes.push(s) });
  return { breaker, changes };
}

test("breaker: opens after N consecutive failures, skips the target for the cool-down, then lets one probe through", () => {
  const clock = { now: 0 };
  const { breaker, changes } = breakerAt(clock);
  for (let i = 0; i < 2; i++) breaker.failed(breaker.pass()!);
  assert.equal(breaker.state, "closed");
  breaker.succeeded(breaker.pass()!); // a success in between starts the count again
  for (let i = 0; i < 2; i++) breaker.failed(breaker.pass()!);
  assert.equal(breaker.state, "closed");
  breaker.failed(breaker.pass()!);
  assert.equal(breaker.state, "open");
  assert.equal(breaker.pass(), undefined);
  assert.equal(breaker.available, false);

  clock.now = 999;
  assert.equal(breaker.pass(), undefined);
  clock.now = 1000;
  assert.equal(breaker.available, true);
  assert.equal(breaker.pass(), "probe");
  assert.equal(breaker.state, "half-open");
  assert.equal(breaker.pass(), undefined, "only one probe at a time");
  assert.equal(breaker.available, false);
  breaker.succeeded("probe");
  assert.equal(breaker.state, "closed");
  assert.equal(breaker.pass(), "call");
  assert.deepEqual(changes, ["open", "half-open", "closed"]);
});

test("breaker: a failed probe opens it for another cool-down; a probe the client abandoned frees the slot", () => {
  const clock = { now: 0 };
  const { breaker, changes } = breakerAt(clock, 1, 100);
  breaker.failed(breaker.pass()!);
  clock.now = 100;
  breaker.failed(breaker.pass()!);
  assert.equal(breaker.state, "open");
  clock.now = 150;
  assert.equal(breaker.pass(), undefined, "the cool-down starts again at the failed probe");
  clock.now = 200;
  breaker.released(breaker.pass()!);
  assert.equal(breaker.state, "half-open");
  assert.equal(breaker.pass(), "probe", "the next call probes");
  breaker.succeeded("probe");
  assert.deepEqual(changes, ["open", "half-open", "open", "half-open", "closed"]);
});

interface T { name: string; weight: number; available: boolean }
const target = (name: string, weight: number, available = true): T => ({ name, weight, available });

test("order: fallback tries the targets as listed", () => {
  const targets = [target("a", 1), target("b", 5), target("c", 1)];
  const order = new TargetOrder(targets, "fallback");
  for (let i = 0; i < 3; i++) assert.deepEqual(order.next().map((t) => t.name), ["a", "b", "c"]);
});

test("order: balance 3:1 puts the first target first in exactly 300 of 400 calls, smoothly interleaved", () => {
  const order = new TargetOrder([target("a", 3), target("b", 1)], "balance");
  const firsts = Array.from({ length: 400 }, () => order.next()[0].name);
  assert.equal(firsts.filter((n) => n === "a").length, 300);
  assert.deepEqual(firsts.slice(0, 8), ["a", "a", "b", "a", "a", "a", "b", "a"]);
  // The others follow as fallbacks.
  assert.deepEqual(order.next().map((t) => t.name).sort(), ["a", "b"]);
});

test("order: balance gives no share to a target whose breaker is open, and resumes when it closes", () => {
  const b = target("b", 1);
  const order = new TargetOrder([target("a", 1), b], "balance");
  b.available = false;
  const firsts = Array.from({ length: 10 }, () => order.next()[0].name);
  assert.deepEqual(new Set(firsts), new Set(["a"]));
  b.available = true;
  const later = Array.from({ length: 10 }, () => order.next()[0].name);
  assert.equal(later.filter((n) => n === "b").length, 5);
});

test("order: balance with every breaker open still lists every target (each one's breaker then decides)", () => {
  const order = new TargetOrder([target("a", 1, false), target("b", 2, false)], "balance");
  assert.deepEqual(order.next().map((t) => t.name), ["b", "a"]);
});
