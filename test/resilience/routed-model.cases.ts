// The routed model in process, over stand-in targets that fail as told: fallback, retries with backoff and
// Retry-After, the breaker skipping a target, streams switching only before their first event, the client
// going away, and the per-attempt timeout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BedrockError } from "../../src/core/errors.js";
import { cancellationOf, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../src/core/model.js";
import { listenForCancel } from "../../src/core/cancellation.js";
import { outputAsStream } from "../../src/core/output-as-stream.js";
import { wrapModel } from "../../src/core/model-middleware.js";
import { attemptTimeout } from "../../src/gateway/policies/resilience/attempt-timeout.js";
import { buildRoutedModel } from "../../src/gateway/policies/resilience/build-routed-model.js";
import type { RoutingConfig } from "../../src/config/routing-config.js";
import { callContext, drain, say } from "../doubles/in-process.js";

/** What a stand-in target does on one call. */
type Step =
  | { ok: string }
  | { fail: BedrockError }
  | { hang: true }
  | { failAfter: number; error: BedrockError; text: string }; // streams: N events, then the error

const answer = (text: string): ConverseOutput => ({
  output: { message: { role: "assistant", content: [{ text }] } },
  stopReason: "end_turn",
  usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
  metrics: { latencyMs: 1 },
});

class StandIn implements Model {
  calls = 0;
  callTimes: number[] = [];
  aborted = 0;
  constructor(readonly id: string, private readonly steps: Step[], private readonly otherwise: Step = { ok: id }) {}

  #next(ctx: CallContext): Step {
    this.calls++;
    this.callTimes.push(performance.now());
    const step = this.steps.shift() ?? this.otherwise;
    if ("hang" in step) ctx.signal.addEventListener("abort", () => this.aborted++);
    return step;
  }

  async converse(_input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const step = this.#next(ctx);
    if ("hang" in step) return new Promise(() => undefined);
    if ("fail" in step) throw step.fail;
    if ("failAfter" in step) throw step.error;
    return answer(step.ok);
  }

  async *converseStream(_input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const step = this.#next(ctx);
    if ("hang" in step) await new Promise(() => undefined);
    if ("fail" in step) throw step.fail;
    if ("failAfter" in step) {
      yield* outputAsStream(answer(step.text)).slice(0, step.failAfter);
      throw step.error;
    }
    if ("ok" in step) yield* outputAsStream(answer(step.ok));
  }

  async countTokens(): Promise<number> {
    this.calls++;
    return 7;
  }
}

const e500 = () => new BedrockError("ModelErrorException", "upstream 500", { originalStatusCode: 500 });
const throttled = (retryAfterMs?: number) => new BedrockError("ThrottlingException", "slow down", {}, { retryAfterMs });

function routed(targets: StandIn[], routing: Partial<RoutingConfig> = {}, weights: number[] = []) {
  const config: RoutingConfig = {
    targets: targets.map((t, i) => ({ provider: t.id, model: `${t.id}-model`, weight: weights[i] ?? 1 })),
    strategy: "fallback",
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 1000 },
    breaker: { failures: 100, cooldownMs: 60_000 },
    ...routing,
  };
  const byProvider = new Map(targets.map((t) => [t.id, t]));
  const timeout = config.timeoutMs === undefined ? [] : [attemptTimeout(config.timeoutMs)];
  return buildRoutedModel({ id: "chat", provider: targets[0].id }, config, (info) => wrapModel(byProvider.get(info.provider)!, timeout));
}

const textOf = (out: ConverseOutput) => (out.output && "message" in out.output ? out.output.message.content?.[0] : undefined);

test("a transient failure of the primary falls back to the secondary: one call each, the record names who answered", async () => {
  const primary = new StandIn("primary", [{ fail: e500() }]);
  const secondary = new StandIn("secondary", []);
  const ctx = callContext();
  const out = await routed([primary, secondary]).converse(say("hi"), ctx);
  assert.deepEqual(textOf(out), { text: "secondary" });
  assert.equal(primary.calls, 1);
  assert.equal(secondary.calls, 1);
  assert.equal(ctx.record.provider, "secondary");
  assert.equal(ctx.record.upstreamModel, "secondary-model");
});

test("a caller's error (ValidationException) is the answer: no retry, no fallback", async () => {
  const primary = new StandIn("primary", [{ fail: new BedrockError("ValidationException", "too long") }]);
  const secondary = new StandIn("secondary", []);
  const model = routed([primary, secondary], { retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 } });
  await assert.rejects(model.converse(say("hi"), callContext()), { name: "ValidationException", message: "too long" });
  assert.equal(primary.calls, 1);
  assert.equal(secondary.calls, 0);
});

test("retries the same target with backoff, up to `attempts` tries, then falls back; the last error when all fail", async () => {
  const primary = new StandIn("primary", [], { fail: e500() });
  const secondary = new StandIn("secondary", [{ fail: throttled() }, { fail: throttled() }]);
  const model = routed([primary, secondary], { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
  await assert.rejects(model.converse(say("hi"), callContext()), { name: "ThrottlingException" });
  assert.equal(primary.calls, 2);
  assert.equal(secondary.calls, 2);

  const flaky = new StandIn("flaky", [{ fail: throttled() }, { fail: e500() }]);
  const out = await routed([flaky], { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }).converse(say("hi"), callContext());
  assert.deepEqual(textOf(out), { text: "flaky" });
  assert.equal(flaky.calls, 3);
});

test("Retry-After is waited for before the retry; one longer than maxDelayMs falls back at once", async () => {
  const primary = new StandIn("primary", [{ fail: throttled(200) }]);
  const model = routed([primary], { retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 1000 } });
  const out = await model.converse(say("hi"), callContext());
  assert.deepEqual(textOf(out), { text: "primary" });
  assert.ok(primary.callTimes[1] - primary.callTimes[0] >= 199, `retried after ${primary.callTimes[1] - primary.callTimes[0]} ms`);

  const impatient = new StandIn("impatient", [{ fail: throttled(60_000) }]);
  const secondary = new StandIn("secondary", []);
  const t0 = performance.now();
  const fallback = await routed([impatient, secondary], { retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 1000 } }).converse(say("hi"), callContext());
  assert.deepEqual(textOf(fallback), { text: "secondary" });
  assert.equal(impatient.calls, 1);
  assert.ok(performance.now() - t0 < 30_000);
});

test("the client going away during a backoff stops every further attempt", async () => {
  const primary = new StandIn("primary", [], { fail: throttled(60_000) });
  const secondary = new StandIn("secondary", []);
  const client = new AbortController();
  const model = routed([primary, secondary], { retry: { attempts: 5, baseDelayMs: 0, maxDelayMs: 120_000 } });
  setTimeout(() => client.abort(), 50);
  await assert.rejects(model.converse(say("hi"), callContext({ signal: client.signal })), { name: "ThrottlingException" });
  assert.equal(primary.calls, 1);
  assert.equal(secondary.calls, 0);
});

test("the breaker opens after N failures: the target gets no call during the cool-down, then one probe closes it", async () => {
  const primary = new StandIn("primary", [{ fail: e500() }, { fail: e500() }, { fail: e500() }, { fail: e500() }]);
  const secondary = new StandIn("secondary", []);
  const long = routed([primary, secondary], { breaker: { failures: 2, cooldownMs: 600_000 } });
  for (let i = 0; i < 2; i++) assert.deepEqual(textOf(await long.converse(say("hi"), callContext())), { text: "secondary" });
  assert.equal(primary.calls, 2);
  for (let i = 0; i < 3; i++) assert.deepEqual(textOf(await long.converse(say("hi"), callContext())), { text: "secondary" });
  assert.deepEqual((await drain(long.converseStream(say("hi"), callContext()))).events, outputAsStream(answer("secondary")));
  assert.equal(primary.calls, 2, "skipped while open");

  const model = routed([primary, secondary], { breaker: { failures: 2, cooldownMs: 150 } });
  for (let i = 0; i < 2; i++) assert.deepEqual(textOf(await model.converse(say("hi"), callContext())), { text: "secondary" });
  assert.equal(primary.calls, 4);
  await new Promise((resolve) => setTimeout(resolve, 170));
  assert.deepEqual(textOf(await model.converse(say("hi"), callContext())), { text: "primary" }, "the probe");
  assert.deepEqual(textOf(await model.converse(say("hi"), callContext())), { text: "primary" }, "closed again");
  assert.equal(primary.calls, 6);
});

test("every breaker open: a ServiceUnavailableException without calling anyone", async () => {
  const only = new StandIn("only", [{ fail: e500() }]);
  const model = routed([only], { breaker: { failures: 1, cooldownMs: 60_000 } });
  await assert.rejects(model.converse(say("hi"), callContext()), { name: "ModelErrorException" });
  await assert.rejects(model.converse(say("hi"), callContext()), { name: "ServiceUnavailableException", message: /circuit breakers open/ });
  assert.equal(only.calls, 1);
});

test("balance 3:1 sends 300 of 400 calls to the first target", async () => {
  const a = new StandIn("a", []);
  const b = new StandIn("b", []);
  const model = routed([a, b], { strategy: "balance" }, [3, 1]);
  for (let i = 0; i < 400; i++) await model.converse(say("hi"), callContext());
  assert.equal(a.calls, 300);
  assert.equal(b.calls, 100);
});

test("a stream whose primary fails before its first event falls back; the answer is the secondary's alone", async () => {
  const primary = new StandIn("primary", [{ fail: e500() }]);
  const secondary = new StandIn("secondary", []);
  const { events, error } = await drain(routed([primary, secondary]).converseStream(say("hi"), callContext()));
  assert.equal(error, undefined);
  assert.deepEqual(events, outputAsStream(answer("secondary")));
  assert.equal(primary.calls, 1);
});

test("a stream that fails after its first event ends with that error: no retry, no other target", async () => {
  const broken = new BedrockError("ModelStreamErrorException", "cut", { originalStatusCode: 500 });
  const primary = new StandIn("primary", [{ failAfter: 2, error: broken, text: "one two three" }]);
  const secondary = new StandIn("secondary", []);
  const model = routed([primary, secondary], { retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 } });
  const { events, error } = await drain(model.converseStream(say("hi"), callContext()));
  assert.equal(error, broken);
  assert.equal(events.length, 2);
  assert.equal(primary.calls, 1);
  assert.equal(secondary.calls, 0);
});

test("a stream abandoned by its client mid-way releases the upstream stream", async () => {
  let closed = false;
  const endless: Model = {
    id: "endless",
    converse: () => Promise.reject(new Error("unused")),
    countTokens: () => Promise.resolve(0),
    async *converseStream() {
      try {
        for (;;) yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "x" } } };
      } finally {
        closed = true;
      }
    },
  };
  const model = buildRoutedModel({ id: "chat", provider: "endless" }, {
    targets: [{ provider: "endless", weight: 1 }], strategy: "fallback",
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, breaker: { failures: 5, cooldownMs: 1000 },
  }, () => endless);
  let n = 0;
  for await (const _event of model.converseStream(say("hi"), callContext())) if (++n === 3) break;
  assert.equal(closed, true);
});

test("a hung attempt times out per attempt (its upstream call aborted) and the next target answers", async () => {
  const primary = new StandIn("primary", [{ hang: true }, { hang: true }]);
  const secondary = new StandIn("secondary", []);
  const model = routed([primary, secondary], { timeoutMs: 50 });
  const t0 = performance.now();
  assert.deepEqual(textOf(await model.converse(say("hi"), callContext())), { text: "secondary" });
  assert.ok(performance.now() - t0 >= 49);
  const { events } = await drain(model.converseStream(say("hi"), callContext()));
  assert.deepEqual(events, outputAsStream(answer("secondary")));
  assert.equal(primary.calls, 2);
  assert.equal(primary.aborted, 2, "each timed-out attempt's signal fired");
});

test("an attempt's deadline and the client leaving reach a listener through onCancel, with no signal made", async () => {
  // What an upstream client does: listen through onCancel when the context offers it.
  const heard: unknown[] = [];
  let stops = 0;
  const hanging: Model = {
    id: "hanging",
    converse: (_input, ctx) => {
      assert.ok(ctx.onCancel, "the attempt's context offers onCancel");
      const stop = listenForCancel(cancellationOf(ctx), (reason) => heard.push(reason));
      return new Promise((_resolve, reject) => setTimeout(() => (stop(), stops++, reject(new BedrockError("ModelErrorException", "late"))), 200));
    },
    countTokens: () => Promise.resolve(0),
    converseStream: () => { throw new Error("unused"); },
  };
  const model = wrapModel(hanging, [attemptTimeout(40)]);
  // The deadline.
  const timedOut = await model.converse(say("hi"), callContext()).catch((e: unknown) => e);
  assert.equal((timedOut as BedrockError).errorName, "ModelTimeoutException");
  assert.equal(heard.length, 1);
  assert.equal((heard[0] as Error).name, "AbortError");
  // The client leaving before the deadline: heard once, through the outer context.
  const client = new AbortController();
  const left = model.converse(say("hi"), callContext({ signal: client.signal })).catch((e: unknown) => e);
  setTimeout(() => client.abort(new Error("client left")), 10);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(heard.length, 2);
  assert.equal((heard[1] as Error).message, "client left");
  await left;
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(heard.length, 2, "a listener that stopped is not called again");
  assert.equal(stops, 2);
  // A client already gone: told at once, and only once.
  const gone = new AbortController();
  gone.abort(new Error("gone"));
  await model.converse(say("hi"), callContext({ signal: gone.signal })).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(heard.slice(2).map((r) => (r as Error).message), ["gone"]);
});

test("an attempt's signal, asked for, aborts at the deadline", async () => {
  let signal: AbortSignal | undefined;
  const model = wrapModel({
    id: "hanging",
    converse: (_input, ctx) => ((signal = ctx.signal), new Promise(() => undefined)),
    countTokens: () => Promise.resolve(0),
    converseStream: () => { throw new Error("unused"); },
  }, [attemptTimeout(30)]);
  await model.converse(say("hi"), callContext()).catch(() => undefined);
  assert.equal(signal?.aborted, true);
});

test("the per-attempt timeout spares a stream once its first event has come", async () => {
  const slow: Model = {
    id: "slow",
    converse: () => Promise.reject(new Error("unused")),
    countTokens: () => Promise.resolve(0),
    async *converseStream() {
      yield { messageStart: { role: "assistant" } };
      await new Promise((resolve) => setTimeout(resolve, 120));
      yield { messageStop: { stopReason: "end_turn" } };
    },
  };
  const model = wrapModel(slow, [attemptTimeout(50)]);
  const { events, error } = await drain(model.converseStream(say("hi"), callContext()));
  assert.equal(error, undefined);
  assert.equal(events.length, 2);
});

test("CountTokens goes to the first target that answers", async () => {
  const primary = new StandIn("primary", []);
  const model = routed([primary, new StandIn("secondary", [])]);
  assert.equal(await model.countTokens({ converse: { messages: say("hi").messages } }, callContext()), 7);
  assert.equal(primary.calls, 1);
});
