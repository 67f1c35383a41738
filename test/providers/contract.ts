// The provider contract: the same Converse, ConverseStream and CountTokens scenarios (text, stream, tools,
// errors) run against every provider, through the front door and the official SDK. Each provider's test file
// supplies a ContractTarget that scripts its upstream (echo reads directives from the message itself; the
// fakes queue replies in their own wire format), and names the scenarios it cannot take part in and why —
// the shape of Hono's router conformance suite (src/router/common.case.test.ts).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, type BedrockRuntimeClient, type Tool,
} from "@aws-sdk/client-bedrock-runtime";
import type { ReceivedRequest } from "../fakes/fake-upstream.js";
import { h1Client, h2Client } from "../helpers/clients.js";
import { deferred, errorOf, plain } from "../helpers/sdk.js";

/** What the next call is arranged to do; `say` is the user text that makes it so (echo reads it, fakes ignore it). */
export interface Arranged {
  say: string;
  /** The model to call when not the target's main one (a model on a provider with other settings). */
  modelId?: string;
}

export interface ContractTarget {
  url: string;
  modelId: string;
  /** The next call answers `reply`. */
  text(reply: string, stream: boolean): Arranged;
  /** The next call asks for the tool `get_weather` with `input`. */
  tool(input: Record<string, unknown>, stream: boolean): Arranged;
  /** The next call fails as the upstream's rate limit does. */
  throttle(stream: boolean): Arranged;
  /** The next stream sends messageStart and one text delta, then its upstream connection breaks. */
  breakAfterFirstDelta(): Arranged & { delta: string };
  /** The next call reaches an upstream that never answers (past the provider's timeoutMs of 1500 ms). */
  hang(): Arranged;
  /** The next call goes to a provider whose upstream refuses connections. */
  refuse(): Arranged;
  /** The next call's upstream closes the connection without answering. */
  closeBeforeAnswer(): Arranged;
  /** The next stream sends messageStart and one delta, then ends cleanly without saying why the model stopped. */
  endWithoutStop(): Arranged;
  /** The next stream sends messageStart and one delta, then goes silent past timeoutMs. */
  stallAfterFirstDelta(): Arranged & { delta: string };
  /** The next call's upstream request (fakes only), once it arrived. */
  nextRequest?(): Promise<ReceivedRequest>;
  /** A model on a provider of its own (a fresh connection pool), answering successive scripted calls. */
  keepAlive?(): { modelId: string; arrange(reply: string, stream: boolean): void };
  close(): Promise<void>;
}

export type Scenario =
  | "converse text" | "converse-stream text" | "converse tool" | "converse-stream tool" | "count-tokens"
  | "throttling" | "stream broken mid-way" | "hang" | "refused" | "closed before answering"
  | "stream without stop" | "stream stalls" | "client leaves mid-stream" | "converse client leaves" | "keep-alive";

export interface ContractBackend {
  name: string;
  start(): Promise<ContractTarget>;
  /** Scenarios this backend cannot take part in, each with the reason. */
  skip?: Partial<Record<Scenario, string>>;
}

const WEATHER: Tool = {
  toolSpec: {
    name: "get_weather",
    description: "The weather in a city.",
    inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
};

export function providerContract(backend: ContractBackend): void {
  describe(`provider contract: ${backend.name}`, () => {
    let target: ContractTarget;
    let h2: BedrockRuntimeClient;
    let h1: BedrockRuntimeClient;
    before(async () => {
      target = await backend.start();
      h2 = h2Client(target.url);
      h1 = h1Client(target.url);
    });
    after(async () => {
      h2.destroy();
      h1.destroy();
      await target.close();
    });

    const scenario = (name: Scenario, fn: () => Promise<void>) => test(name, { skip: backend.skip?.[name] ?? false }, fn);
    const messages = (say: string) => [{ role: "user" as const, content: [{ text: say }] }];
    const converse = (a: Arranged, client = h2, toolConfig?: { tools: Tool[] }) =>
      client.send(new ConverseCommand({ modelId: a.modelId ?? target.modelId, messages: messages(a.say), toolConfig }));
    const converseStream = (a: Arranged, client = h2, toolConfig?: { tools: Tool[] }, abortSignal?: AbortSignal) =>
      client.send(new ConverseStreamCommand({ modelId: a.modelId ?? target.modelId, messages: messages(a.say), toolConfig }), { abortSignal });

    /** Reads a stream to its end or its failure: the events seen, and the error if it failed. */
    async function readStream(a: Arranged) {
      const res = await converseStream(a);
      const events: Record<string, unknown>[] = [];
      try {
        for await (const e of res.stream ?? []) events.push(plain(e));
      } catch (err) {
        return { events, err: err as Error & { originalStatusCode?: number } };
      }
      return { events, err: undefined };
    }

    scenario("converse text", async () => {
      for (const client of [h2, h1]) {
        const out = await converse(target.text("Paris is the capital.", false), client);
        assert.deepEqual(out.output?.message, { role: "assistant", content: [{ text: "Paris is the capital." }] });
        assert.equal(out.stopReason, "end_turn");
        const usage = out.usage!;
        assert.ok(usage.inputTokens! > 0 && usage.outputTokens! > 0, JSON.stringify(usage));
        assert.equal(usage.totalTokens, usage.inputTokens! + usage.outputTokens!);
        assert.equal(typeof out.metrics?.latencyMs, "number");
      }
    });

    scenario("converse-stream text", async () => {
      const { events, err } = await readStream(target.text("Paris is the capital.", true));
      assert.equal(err, undefined);
      assert.deepEqual(events[0], { messageStart: { role: "assistant" } });
      const deltas = events.filter((e) => "contentBlockDelta" in e) as { contentBlockDelta: { contentBlockIndex: number; delta: { text: string } } }[];
      assert.ok(deltas.length > 0);
      assert.equal(deltas.map((d) => d.contentBlockDelta.delta.text).join(""), "Paris is the capital.");
      assert.ok(deltas.every((d) => d.contentBlockDelta.contentBlockIndex === 0));
      assert.deepEqual(events.slice(-3, -1), [{ contentBlockStop: { contentBlockIndex: 0 } }, { messageStop: { stopReason: "end_turn" } }]);
      const metadata = events.at(-1)?.metadata as { usage: { inputTokens: number; outputTokens: number; totalTokens: number } };
      assert.equal(metadata.usage.totalTokens, metadata.usage.inputTokens + metadata.usage.outputTokens);
    });

    scenario("converse tool", async () => {
      const out = await converse(target.tool({ city: "Paris" }, false), h2, { tools: [WEATHER] });
      assert.equal(out.stopReason, "tool_use");
      const blocks = out.output?.message?.content ?? [];
      const use = blocks.find((b) => b.toolUse)?.toolUse;
      assert.equal(use?.name, "get_weather");
      assert.deepEqual(use?.input, { city: "Paris" });
      assert.equal(typeof use?.toolUseId, "string");
    });

    scenario("converse-stream tool", async () => {
      const res = await converseStream(target.tool({ city: "Paris" }, true), h2, { tools: [WEATHER] });
      const events: Record<string, unknown>[] = [];
      for await (const e of res.stream ?? []) events.push(plain(e));
      const start = events.find((e) => "contentBlockStart" in e) as { contentBlockStart: { contentBlockIndex: number; start: { toolUse: { name: string } } } };
      assert.equal(start.contentBlockStart.start.toolUse.name, "get_weather");
      const index = start.contentBlockStart.contentBlockIndex;
      const json = events
        .filter((e) => (e.contentBlockDelta as { contentBlockIndex?: number } | undefined)?.contentBlockIndex === index)
        .map((e) => (e.contentBlockDelta as { delta: { toolUse: { input: string } } }).delta.toolUse.input)
        .join("");
      assert.deepEqual(JSON.parse(json), { city: "Paris" });
      assert.ok(events.some((e) => (e.messageStop as { stopReason?: string } | undefined)?.stopReason === "tool_use"));
    });

    scenario("count-tokens", async () => {
      const out = await h2.send(new CountTokensCommand({
        modelId: target.modelId,
        input: { converse: { system: [{ text: "Be brief." }], messages: messages("What is the capital of France?") } },
      }));
      assert.ok(Number.isInteger(out.inputTokens) && out.inputTokens! > 0, String(out.inputTokens));
    });

    scenario("throttling", async () => {
      for (const stream of [false, true]) {
        const a = target.throttle(stream);
        const err = await errorOf(stream ? converseStream(a) : converse(a));
        assert.equal(err.name, "ThrottlingException");
        assert.equal(err.$metadata?.httpStatusCode, 429);
      }
    });

    scenario("stream broken mid-way", async () => {
      const a = target.breakAfterFirstDelta();
      const { events, err } = await readStream(a);
      assert.equal(err?.name, "ModelStreamErrorException");
      assert.deepEqual(events, [{ messageStart: { role: "assistant" } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: a.delta } } }]);
    });

    // Converse and ConverseStream wait out the timeout side by side.
    scenario("hang", async () => {
      await Promise.all([false, true].map(async (stream) => {
        const a = target.hang();
        const started = Date.now();
        const err = await errorOf(stream ? converseStream(a) : converse(a));
        assert.equal(err.name, "ModelTimeoutException");
        assert.equal(err.$metadata?.httpStatusCode, 408);
        assert.ok(Date.now() - started >= 1400, "timed out before timeoutMs");
      }));
    });

    scenario("refused", async () => {
      for (const stream of [false, true]) {
        const a = target.refuse();
        const err = await errorOf(stream ? converseStream(a) : converse(a));
        assert.equal(err.name, "ServiceUnavailableException");
        assert.equal(err.$metadata?.httpStatusCode, 503);
      }
    });

    scenario("closed before answering", async () => {
      const err = await errorOf(converse(target.closeBeforeAnswer()));
      assert.equal(err.name, "ServiceUnavailableException");
    });

    scenario("stream without stop", async () => {
      const { events, err } = await readStream(target.endWithoutStop());
      assert.equal(err?.name, "ModelStreamErrorException");
      assert.ok(!events.some((e) => "messageStop" in e));
    });

    scenario("stream stalls", async () => {
      const a = target.stallAfterFirstDelta();
      const { events, err } = await readStream(a);
      assert.equal(err?.name, "ModelStreamErrorException");
      assert.equal(err?.originalStatusCode, 408);
      assert.deepEqual(events, [{ messageStart: { role: "assistant" } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: a.delta } } }]);
    });

    scenario("client leaves mid-stream", async () => {
      const seen = deferred();
      const abort = new AbortController();
      const res = await converseStream(target.stallAfterFirstDelta(), h2, undefined, abort.signal);
      const reading = (async () => {
        for await (const e of res.stream ?? []) if (e.contentBlockDelta) seen.resolve();
      })().catch(() => undefined);
      await seen.promise;
      const received = await target.nextRequest!();
      abort.abort();
      await reading;
      const closedInTime = await Promise.race([received.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
      assert.equal(closedInTime, true, "the upstream request was still open after the client left");
      // The upstream's usage never came: the record charges an estimate of what was asked and produced.
      type Listed = { clientGone?: boolean; inputTokens?: number; outputTokens?: number };
      let gone: Listed | undefined;
      for (let i = 0; i < 50 && !gone; i++) {
        const calls = await (await fetch(`${target.url}/_basalt/calls?operation=ConverseStream&limit=1`)).json() as Listed[];
        gone = calls.find((c) => c.clientGone);
        if (!gone) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(gone, "the abandoned call is in the history");
      assert.ok((gone.inputTokens ?? 0) > 0 && (gone.outputTokens ?? 0) > 0, JSON.stringify(gone));
    });

    scenario("converse client leaves", async () => {
      const abort = new AbortController();
      const a = target.hang();
      const pending = h2.send(new ConverseCommand({ modelId: a.modelId ?? target.modelId, messages: messages(a.say) }), { abortSignal: abort.signal })
        .catch(() => undefined);
      const received = await target.nextRequest!();
      abort.abort();
      await pending;
      const closedInTime = await Promise.race([received.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
      assert.equal(closedInTime, true, "the upstream request was still open after the client left");
    });

    // On a provider of its own: earlier scenarios (cut and abandoned connections) leave nothing in its pool
    // that could make it open a second connection.
    scenario("keep-alive", async () => {
      const { modelId, arrange } = target.keepAlive!();
      const say = { say: "Go", modelId };
      arrange("a", false);
      await converse(say);
      const first = await target.nextRequest!();
      arrange("b", true);
      const res = await converseStream(say);
      for await (const _ of res.stream ?? []);
      const second = await target.nextRequest!();
      arrange("c", false);
      await converse(say);
      const third = await target.nextRequest!();
      assert.equal(second.remotePort, first.remotePort);
      assert.equal(third.remotePort, first.remotePort);
    });
  });
}
