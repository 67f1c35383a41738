// Fallback, retry, timeouts and breakers end to end: the JS SDK (HTTP/2) against Basalt in this process, in
// front of two fake OpenAI-compatible upstreams speaking the real wire format and failing as each test says.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { ConverseCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { chunk } from "../fakes/openai-upstream.js";
import { logFields } from "../../src/observe/log-line.js";
import { converseText, failWith, lastRecord, say, startStack, streamText, type Stack } from "./harness.js";

let stack: Stack;
before(async () => {
  stack = await startStack(() => `models:
  - id: chat
    targets:
      - { provider: primary, model: llama3.1:8b }
      - { provider: secondary, model: gpt-4o-mini }
    retry: { attempts: 1 }
  - id: chat-retry
    targets: [{ provider: primary, model: llama3.1:8b }]
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 2000 }
  - id: chat-patient
    targets: [{ provider: primary, model: llama3.1:8b }, { provider: secondary, model: gpt-4o-mini }]
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 2000 }
  - id: chat-timeout
    targets: [{ provider: primary, model: llama3.1:8b }, { provider: secondary, model: gpt-4o-mini }]
    retry: { attempts: 1 }
    timeoutMs: 1000
  - id: chat-breaker
    targets: [{ provider: primary, model: llama3.1:8b }, { provider: secondary, model: gpt-4o-mini }]
    retry: { attempts: 1 }
    breaker: { failures: 2, cooldownMs: 600000 }
  - id: chat-probe
    targets: [{ provider: primary, model: llama3.1:8b }, { provider: secondary, model: gpt-4o-mini }]
    retry: { attempts: 1 }
    breaker: { failures: 2, cooldownMs: 300 }
  - id: chat-balance
    targets: [{ provider: primary, model: llama3.1:8b, weight: 3 }, { provider: secondary, model: gpt-4o-mini, weight: 1 }]
    strategy: balance
  - id: chat-cut-breaker
    targets: [{ provider: primary, model: llama3.1:8b }, { provider: secondary, model: gpt-4o-mini }]
    retry: { attempts: 1 }
    breaker: { failures: 2, cooldownMs: 600000 }
  - { id: plain, provider: primary, model: llama3.1:8b }
`);
});
after(() => stack.close());

let seen = { primary: 0, secondary: 0, records: 0 };
beforeEach(() => {
  seen = { primary: stack.primary.requests.length, secondary: stack.secondary.requests.length, records: stack.records.length };
});
const calls = () => ({ primary: stack.primary.requests.length - seen.primary, secondary: stack.secondary.requests.length - seen.secondary });

test("primary answers 500 → the answer comes from the secondary, one upstream call each", async () => {
  stack.primary.enqueue(failWith(500));
  assert.equal(await converseText(stack.client, "chat"), "from secondary");
  assert.deepEqual(calls(), { primary: 1, secondary: 1 });
  const record = await lastRecord(stack.records, seen.records + 1);
  assert.equal(record.provider, "secondary");
  assert.equal(record.upstreamModel, "gpt-4o-mini");
  assert.equal(stack.secondary.requests.at(-1)!.body.model, "gpt-4o-mini");
  // The record — and the log line made from it — lists each try.
  assert.deepEqual(record.attempts.map(({ durationMs: _d, ...a }) => a), [
    { provider: "primary", upstreamModel: "llama3.1:8b", outcome: "ModelErrorException", status: 500 },
    { provider: "secondary", upstreamModel: "gpt-4o-mini", outcome: "ok" },
  ]);
  const line = logFields(record);
  assert.equal(line.attempts, 2);
  assert.match(String((line.attemptOutcomes as string[])[0]), /^primary\/llama3\.1:8b ModelErrorException 500 [\d.]+ms$/);
  assert.match(String((line.attemptOutcomes as string[])[1]), /^secondary\/gpt-4o-mini ok [\d.]+ms$/);
});

test("529 (overloaded) and a refused connection are fallen back on too", async () => {
  stack.primary.enqueue(failWith(529));
  assert.equal(await converseText(stack.client, "chat"), "from secondary");
  stack.primary.enqueue({ destroy: true });
  assert.equal(await converseText(stack.client, "chat"), "from secondary");
  assert.deepEqual(calls(), { primary: 2, secondary: 2 });
});

test("a 400 from the primary is the answer: not retried, not fallen back", async () => {
  stack.primary.enqueue(failWith(400));
  await assert.rejects(stack.client.send(new ConverseCommand({ modelId: "chat-retry", messages: say("hi") })), ValidationException);
  stack.primary.enqueue(failWith(400));
  await assert.rejects(stack.client.send(new ConverseCommand({ modelId: "chat", messages: say("hi") })), ValidationException);
  assert.deepEqual(calls(), { primary: 2, secondary: 0 });
});

test("a 503 is retried on the same target with backoff until it answers", async () => {
  stack.primary.enqueue(failWith(503), failWith(503));
  assert.equal(await converseText(stack.client, "chat-retry"), "from primary");
  assert.deepEqual(calls(), { primary: 3, secondary: 0 });
  const record = await lastRecord(stack.records, seen.records + 1);
  assert.deepEqual(record.attempts.map((a) => a.outcome), ["ServiceUnavailableException", "ServiceUnavailableException", "ok"]);
  assert.equal(record.attempts[0].delayMs, undefined, "the first try waits for nothing");
  for (const [i, cap] of [[1, 50], [2, 100]]) {
    const delay = record.attempts[i].delayMs ?? 0; // full jitter may draw 0
    assert.ok(delay >= 0 && delay < cap, `backoff before try ${i + 1}: ${delay} ms (cap ${cap})`);
  }
});

test("429 with Retry-After: 1 → retried after at least a second, and it succeeds; the wait is in the record", async () => {
  stack.primary.enqueue(failWith(429, { "retry-after": "1" }));
  const t0 = performance.now();
  assert.equal(await converseText(stack.client, "chat-retry"), "from primary");
  assert.deepEqual(calls(), { primary: 2, secondary: 0 });
  const [first, second] = stack.primary.requests.slice(-2);
  assert.ok(performance.now() - t0 >= 1000);
  const record = await lastRecord(stack.records, seen.records + 1);
  assert.deepEqual(record.attempts.map((a) => [a.outcome, a.delayMs]), [["ThrottlingException", undefined], ["ok", 1000]]);
  assert.match(String((logFields(record).attemptOutcomes as string[])[1]), /ok [\d.]+ms after 1000ms backoff$/);
  assert.ok(first !== second);
});

test("a Retry-After longer than maxDelayMs is not waited for: the next target answers at once", async () => {
  stack.primary.enqueue(failWith(429, { "retry-after-ms": "60000" }));
  const t0 = performance.now();
  assert.equal(await converseText(stack.client, "chat-patient"), "from secondary");
  assert.ok(performance.now() - t0 < 30_000);
  assert.deepEqual(calls(), { primary: 1, secondary: 1 });
});

test("a hung primary times out per attempt and the secondary answers (Converse and ConverseStream)", async () => {
  stack.primary.enqueue({ hang: true }, { hang: true });
  const t0 = performance.now();
  assert.equal(await converseText(stack.client, "chat-timeout"), "from secondary");
  assert.ok(performance.now() - t0 >= 990, "waited for the attempt's timeout");
  const streamed = await streamText(stack.client, "chat-timeout");
  assert.equal(streamed.error, undefined);
  assert.equal(streamed.text, "from secondary");
  assert.deepEqual(calls(), { primary: 2, secondary: 2 });
  // The abandoned upstream requests were cut, not left open.
  await Promise.all(stack.primary.requests.slice(-2).map((r) => r.closed));
});

test("a stream whose primary fails before its first event falls back; the client sees one clean stream", async () => {
  stack.primary.enqueue(failWith(500));
  const { text, names, error } = await streamText(stack.client, "chat");
  assert.equal(error, undefined);
  assert.equal(text, "from secondary");
  assert.equal(names[0], "messageStart");
  assert.equal(names.at(-1), "metadata");
  assert.deepEqual(calls(), { primary: 1, secondary: 1 });
});

test("a stream cut after its first event ends with an exception event and is not retried or fallen back", async () => {
  stack.primary.enqueue({ sse: [{ data: chunk({ role: "assistant", content: "" }, { usage: null }) }, { data: chunk({ content: "partial " }, { usage: null }) }, { delay: 100 }, { destroy: true }] });
  const { text, names, error } = await streamText(stack.client, "chat-retry");
  assert.equal(text, "partial ");
  assert.equal(names[0], "messageStart");
  assert.equal(error?.name, "ModelStreamErrorException");
  assert.deepEqual(calls(), { primary: 1, secondary: 0 });
});

test("streams the primary keeps cutting after their first event open its breaker: the next call goes to the secondary", async () => {
  const cut = () => ({ sse: [{ data: chunk({ role: "assistant", content: "" }, { usage: null }) }, { data: chunk({ content: "partial " }, { usage: null }) }, { delay: 50 }, { destroy: true as const }] });
  stack.primary.enqueue(cut(), cut());
  for (let i = 0; i < 2; i++) assert.equal((await streamText(stack.client, "chat-cut-breaker")).error?.name, "ModelStreamErrorException");
  assert.equal((await streamText(stack.client, "chat-cut-breaker")).text, "from secondary");
  assert.deepEqual(calls(), { primary: 2, secondary: 1 });
});

test("a primary that refuses its own key (401/403) or does not know its model (404) is skipped for the next target, not retried", async () => {
  for (const status of [401, 403, 404]) {
    stack.primary.enqueue(failWith(status));
    const before = calls();
    assert.equal(await converseText(stack.client, "chat-patient"), "from secondary", `status ${status}`);
    const after = calls();
    assert.deepEqual({ primary: after.primary - before.primary, secondary: after.secondary - before.secondary }, { primary: 1, secondary: 1 }, `status ${status}`);
  }
});

test("when every target fails, the record names the last one tried, whose error the client got", async () => {
  stack.primary.enqueue(failWith(500));
  stack.secondary.enqueue(failWith(503));
  await assert.rejects(converseText(stack.client, "chat"));
  const record = await lastRecord(stack.records, seen.records + 1);
  assert.equal(record.provider, "secondary");
  assert.equal(record.upstreamModel, "gpt-4o-mini");
});

test("the breaker opens after N failures: the primary gets no call during the cool-down", async () => {
  stack.primary.enqueue(failWith(500), failWith(500));
  for (let i = 0; i < 2; i++) assert.equal(await converseText(stack.client, "chat-breaker"), "from secondary");
  assert.deepEqual(calls(), { primary: 2, secondary: 2 });
  for (let i = 0; i < 4; i++) assert.equal(await converseText(stack.client, "chat-breaker"), "from secondary");
  const streamed = await streamText(stack.client, "chat-breaker");
  assert.equal(streamed.text, "from secondary");
  assert.deepEqual(calls(), { primary: 2, secondary: 7 }, "open: the primary gets no call");
});

test("after the cool-down one probe goes to the primary, and its success closes the breaker", async () => {
  stack.primary.enqueue(failWith(500), failWith(500));
  for (let i = 0; i < 2; i++) assert.equal(await converseText(stack.client, "chat-probe"), "from secondary");
  const opened = performance.now();
  assert.deepEqual(calls(), { primary: 2, secondary: 2 });
  await new Promise((resolve) => setTimeout(resolve, 350));
  assert.ok(performance.now() - opened >= 300);
  assert.equal(await converseText(stack.client, "chat-probe"), "from primary", "the probe");
  for (let i = 0; i < 3; i++) assert.equal(await converseText(stack.client, "chat-probe"), "from primary", "closed");
  assert.deepEqual(calls(), { primary: 6, secondary: 2 });
});

test("balance with weights 3:1 sends 300 ± 30 of 400 calls to the first target", async () => {
  for (let i = 0; i < 16; i++) {
    await Promise.all(Array.from({ length: 25 }, () => converseText(stack.client, "chat-balance")));
  }
  const { primary, secondary } = calls();
  assert.equal(primary + secondary, 400);
  assert.ok(Math.abs(primary - 300) <= 30, `primary got ${primary} of 400`);
});

test("the one-target form keeps failing fast: a 500 is the answer, with no retry", async () => {
  stack.primary.enqueue(failWith(500));
  await assert.rejects(stack.client.send(new ConverseCommand({ modelId: "plain", messages: say("hi") })), { name: "ModelErrorException" });
  assert.deepEqual(calls(), { primary: 1, secondary: 0 });
});
