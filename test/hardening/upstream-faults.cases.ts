// Issue 21, item 7 (and the SSE part of item 6): an upstream that misbehaves is reported as what it is.
// A provider's timeoutMs is the total deadline of one attempt — a trickle cannot extend it — ending in
// ModelTimeoutException (a stream at the deadline ends with an exception event); upstream error text never
// carries the provider's key to a client; invalid or misshapen upstream JSON is a ModelErrorException, not a
// retryable 503 or a 500; a broken tool call is reported on every operation, not turned into `input: {}`;
// and one endless SSE event is refused without holding the server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand,
  ModelErrorException, ModelTimeoutException, type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import type { Basalt } from "../../src/app.js";
import { h1Client, h2Client } from "../helpers/clients.js";
import {
  chatStream, chunk, completion, errorBody, startOpenAIUpstream, type FakeOpenAIUpstream, type SseStep,
} from "../fakes/openai-upstream.js";
import { startInProcess } from "./harness.js";

const KEY = "sk-proj-Zx81kQ0pL4mN7bV2cX9zA3sD6fG1hJ5k";
const ODD_KEY = "house-key-7781-alpha-bravo";
const TIMEOUT_MS = 1_500;
const SLACK_MS = 5_000;

let upstream: FakeOpenAIUpstream;
let basalt: Basalt;
let clients: [string, BedrockRuntimeClient][];

before(async () => {
  upstream = await startOpenAIUpstream();
  basalt = await startInProcess(`
providers:
  up: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: ${KEY}, timeoutMs: ${TIMEOUT_MS} }
  odd: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: ${ODD_KEY}, timeoutMs: ${TIMEOUT_MS} }
models:
  - { id: basalt.echo, provider: echo }
  - { id: up.model, provider: up, model: gpt-4o-mini }
  - { id: odd.model, provider: odd, model: gpt-4o-mini }
  - { id: anthropic.claude-3-5-haiku-20241022-v1:0, provider: up, model: gpt-4o-mini }
  - { id: openai.gpt-oss-20b-1:0, provider: up, model: gpt-4o-mini }
`);
  clients = [["HTTP/2", h2Client(basalt.url)], ["HTTP/1.1", h1Client(basalt.url)]];
});
after(async () => {
  for (const [, c] of clients) c.destroy();
  await basalt.stop();
  await upstream.close();
});

const client = () => clients[0][1];
const say = (text = "hi") => [{ role: "user" as const, content: [{ text }] }];
const CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";
const claudeBody = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "hi" }] });

async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  assert.fail("expected a failure");
}

/** Drains an SDK event stream: the events before the error, and the error. */
async function drainStream(stream: AsyncIterable<unknown> | undefined): Promise<{ events: unknown[]; error?: Error }> {
  const events: unknown[] = [];
  try {
    for await (const e of stream ?? []) events.push(e);
  } catch (error) {
    return { events, error: error as Error };
  }
  return { events };
}

/** SSE steps that send a byte every `everyMs` for `count` steps: a live but useless upstream. */
const trickle = (count: number, everyMs: number, piece = " "): SseStep[] =>
  Array.from({ length: count }, () => [{ raw: piece }, { delay: everyMs }] as SseStep[]).flat();

describe("timeoutMs is the total deadline of one upstream attempt", () => {
  test("a non-streamed answer trickling a byte every 200 ms ends in ModelTimeoutException at the deadline", async () => {
    upstream.enqueue({ sse: [{ raw: '{"id":"x",' }, ...trickle(60, 200)] });
    const started = Date.now();
    const err = await failure(client().send(new ConverseCommand({ modelId: "up.model", messages: say() })));
    const ms = Date.now() - started;
    assert.ok(err instanceof ModelTimeoutException, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, 408);
    assert.ok(ms >= TIMEOUT_MS - 50 && ms < TIMEOUT_MS + SLACK_MS, `${ms} ms`);
  });

  test("ConverseStream: a stream still running at the deadline ends with an exception event", async () => {
    const steps: SseStep[] = [{ data: chunk({ role: "assistant", content: "" }) }];
    for (let i = 0; i < 40; i++) steps.push({ data: chunk({ content: `w${i} ` }) }, { delay: 200 });
    upstream.enqueue({ sse: steps });
    const started = Date.now();
    const out = await client().send(new ConverseStreamCommand({ modelId: "up.model", messages: say() }));
    const { events, error } = await drainStream(out.stream);
    const ms = Date.now() - started;
    assert.ok(events.length > 1, "events arrived before the deadline");
    assert.ok(error, "the stream ended with an exception");
    assert.equal(error.name, "ModelStreamErrorException");
    assert.match(error.message, /timed out/);
    assert.ok(ms >= TIMEOUT_MS - 50 && ms < TIMEOUT_MS + SLACK_MS, `${ms} ms`);
  });

  test("InvokeModelWithResponseStream: the deadline is a modelTimeoutException event", async () => {
    const steps: SseStep[] = [{ data: chunk({ role: "assistant", content: "" }) }];
    for (let i = 0; i < 40; i++) steps.push({ data: chunk({ content: `w${i} ` }) }, { delay: 200 });
    upstream.enqueue({ sse: steps });
    const out = await client().send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: claudeBody }));
    const { events, error } = await drainStream(out.body);
    assert.ok(events.length > 0);
    assert.ok(error instanceof ModelTimeoutException, `${error?.name}: ${error?.message}`);
  });

  test("an upstream that answers within the deadline is served", async () => {
    upstream.enqueue({ sse: chatStream({ text: ["fine"] }) });
    const out = await client().send(new ConverseStreamCommand({ modelId: "up.model", messages: say() }));
    const { error } = await drainStream(out.stream);
    assert.equal(error, undefined);
  });
});

describe("upstream error text never carries the provider's key", () => {
  const echoing = (status: number) => (req: { headers: Record<string, unknown> }) => ({
    status,
    json: errorBody(`Refused. You sent: ${JSON.stringify(req.headers)} (authorization: ${String(req.headers.authorization)})`, "invalid_request_error", "bad"),
  });

  for (const status of [400, 401, 403, 404, 429, 500, 503]) {
    test(`HTTP ${status} echoing the request headers`, async () => {
      for (const [modelId, key] of [["up.model", KEY], ["odd.model", ODD_KEY]] as const) {
        for (const [transport, c] of clients) {
          upstream.respond = echoing(status);
          const err = await failure(c.send(new ConverseCommand({ modelId, messages: say() })));
          const visible = JSON.stringify({ ...err, name: err.name, message: err.message });
          assert.ok(!visible.includes(key), `${transport} ${status}: ${visible}`);
          assert.ok(!visible.includes(key.slice(8, 24)), `${transport} ${status}: a piece of the key`);
          assert.ok((err.$metadata?.httpStatusCode ?? 0) >= 400, `${transport}: typed`);
        }
      }
    });
  }

  test("an error event inside a stream echoing the key", async () => {
    upstream.respond = () => ({ sse: [{ data: chunk({ role: "assistant", content: "a" }) }, { data: { error: { message: `key ${KEY} is over quota; Bearer ${ODD_KEY}`, type: "server_error" } } }] });
    for (const modelId of ["up.model", "odd.model"]) {
      const out = await client().send(new ConverseStreamCommand({ modelId, messages: say() }));
      const { error } = await drainStream(out.stream);
      const visible = JSON.stringify({ ...error, name: error?.name, message: error?.message });
      assert.ok(error, "an exception event");
      assert.ok(!visible.includes(KEY) && !visible.includes(ODD_KEY), visible);
    }
  });
});

describe("invalid or misshapen upstream answers are the model's error", () => {
  for (const [name, reply] of [
    ["not JSON at all", { text: "<html>gateway error</html>" }],
    ["JSON cut short", { text: '{"id":"x","choices":[{' }],
    ["choices a string", { json: { id: "x", choices: "oops" } }],
    ["message a number", { json: { id: "x", choices: [{ index: 0, message: 5, finish_reason: "stop" }] } }],
    ["tool_calls a string", { json: { id: "x", choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: "x" }, finish_reason: "tool_calls" }] } }],
    ["null", { json: null }],
  ] as const) {
    test(`Converse and InvokeModel: ${name} → ModelErrorException`, async () => {
      upstream.respond = () => reply;
      for (const [transport, c] of clients) {
        const a = await failure(c.send(new ConverseCommand({ modelId: "up.model", messages: say() })));
        assert.ok(a instanceof ModelErrorException, `${transport} Converse: ${a.name}: ${a.message}`);
        const b = await failure(c.send(new InvokeModelCommand({ modelId: CLAUDE, body: claudeBody })));
        assert.ok(b instanceof ModelErrorException, `${transport} InvokeModel: ${b.name}: ${b.message}`);
      }
    });
  }

  for (const [name, steps] of [
    ["a chunk that is not JSON", [{ data: chunk({ role: "assistant", content: "a" }) }, { raw: "data: {not json\n\n" }]],
    ["choices a string", [{ data: chunk({ role: "assistant", content: "a" }) }, { data: { id: "x", choices: "oops" } }]],
    ["a delta of the wrong type", [{ data: chunk({ role: "assistant", content: "a" }) }, { data: { id: "x", choices: [{ index: 0, delta: 5 }] } }]],
  ] as const) {
    test(`ConverseStream: ${name} ends in a model stream error, never a 5xx`, async () => {
      upstream.respond = () => ({ sse: [...steps] as SseStep[] });
      const out = await client().send(new ConverseStreamCommand({ modelId: "up.model", messages: say() })).catch((e: Error) => e);
      if (out instanceof Error) {
        assert.ok(out instanceof ModelErrorException, `${out.name}: ${out.message}`);
        return;
      }
      const { error } = await drainStream(out.stream);
      assert.equal(error?.name, "ModelStreamErrorException", `${error?.name}: ${error?.message}`);
    });
  }
});

describe("a broken tool call is reported on every operation", () => {
  const TOOLS = { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] };
  const brokenCall = () => ({ json: completion({ toolCalls: [{ id: "call_1", name: "lookup", arguments: '{"q": "unterminated' }] }) });
  const brokenStream = () => chatStream({ toolCalls: [{ id: "call_1", name: "lookup", argumentPieces: ['{"q": ', '"unterminated'] }] });

  test("Converse and ConverseStream: stopReason malformed_tool_use", async () => {
    upstream.respond = brokenCall;
    const out = await client().send(new ConverseCommand({ modelId: "up.model", messages: say(), toolConfig: TOOLS }));
    assert.equal(out.stopReason, "malformed_tool_use");
    upstream.respond = () => ({ sse: brokenStream() });
    const s = await client().send(new ConverseStreamCommand({ modelId: "up.model", messages: say(), toolConfig: TOOLS }));
    const { events } = await drainStream(s.stream);
    const stop = events.find((e) => (e as { messageStop?: unknown }).messageStop) as { messageStop: { stopReason: string } } | undefined;
    assert.equal(stop?.messageStop.stopReason, "malformed_tool_use");
  });

  const claudeTools = JSON.stringify({
    anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "hi" }],
    tools: [{ name: "lookup", input_schema: { type: "object" } }],
  });
  const openaiTools = JSON.stringify({
    messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
  });

  for (const [family, modelId, body] of [["Claude", CLAUDE, claudeTools], ["OpenAI", "openai.gpt-oss-20b-1:0", openaiTools]] as const) {
    test(`InvokeModel with a ${family} body: a ModelErrorException naming the tool call, not input {} with end_turn`, async () => {
      upstream.respond = brokenCall;
      const err = await failure(client().send(new InvokeModelCommand({ modelId, body })));
      assert.ok(err instanceof ModelErrorException, `${err.name}: ${err.message}`);
      assert.match(err.message, /tool/i);
    });

    test(`InvokeModelWithResponseStream with a ${family} body: the stream ends with an exception`, async () => {
      upstream.respond = () => ({ sse: brokenStream() });
      const out = await client().send(new InvokeModelWithResponseStreamCommand({ modelId, body }));
      const { error } = await drainStream(out.body);
      assert.ok(error, "an exception event");
      assert.match(error.message, /tool/i);
    });
  }
});

describe("one endless SSE event", () => {
  test("is refused with a typed error while the server keeps answering others", async () => {
    const mb = "x".repeat(1024 * 1024);
    const steps: SseStep[] = [{ data: chunk({ role: "assistant", content: "a" }) }, { raw: "data: " }];
    for (let i = 0; i < 20; i++) steps.push({ raw: mb }, { delay: 20 });
    upstream.respond = () => ({ sse: steps });
    const pending = client().send(new ConverseStreamCommand({ modelId: "up.model", messages: say() }))
      .then((out) => drainStream(out.stream), (e: Error) => ({ events: [], error: e }));
    // An unrelated request while the big event streams in.
    const started = Date.now();
    const other = await clients[1][1].send(new ConverseCommand({ modelId: "basalt.echo", messages: say("other") }));
    assert.equal(other.output?.message?.content?.[0]?.text, "other");
    assert.ok(Date.now() - started < SLACK_MS, `the unrelated request took ${Date.now() - started} ms`);
    const { error } = await pending;
    assert.ok(error, "the endless event ended the stream with an error");
    assert.ok(["ModelStreamErrorException", "ModelErrorException"].includes(error.name), `${error.name}: ${error.message}`);
  });
});
