// Stream faults on the wire, through the JS SDK over HTTP/2 and HTTP/1.1: exactly N events then an exception
// event; exactly N events then a broken stream that the SDK raises on (never a short answer that looks
// complete), the connection or server fine afterwards; stalls, time to first token and pacing (lower bounds
// only: the machine may be busy). Faults also lie over a model's own answer and over InvokeModel streams.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand, ThrottlingException,
} from "@aws-sdk/client-bedrock-runtime";
import { ANTHROPIC_VERSION, CLAUDE, readStream, startDoubles, type DoublesStack } from "./harness.js";
import { transports } from "../helpers/clients.js";

let stack: DoublesStack;
before(async () => (stack = await startDoubles()));
afterEach(() => stack.admin.clear());
after(() => stack.close());

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];
const LONG = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
const client = (make: (typeof transports)[number][1]) => make(stack.basalt.url);

async function stream(c: ReturnType<typeof client>, text: string, modelId = "basalt.echo") {
  const out = await c.send(new ConverseStreamCommand({ modelId, messages: say(text) }));
  return readStream(out.stream);
}

for (const [name, make] of transports) {
  test(`exceptionAfterEvents over ${name}: exactly N events, then the exception event`, async () => {
    await stack.admin.add({ match: { text: "fail" }, respond: { content: [{ text: LONG }] }, stream: { exceptionAfterEvents: { after: 7, type: "ThrottlingException", message: "mid-stream throttle" } } });
    const c = client(make);
    try {
      const r = await stream(c, "fail please");
      assert.equal(r.events.length, 7);
      assert.ok(r.error instanceof ThrottlingException, String(r.error));
      assert.equal(r.error.message, "mid-stream throttle");
    } finally {
      c.destroy();
    }
  });

  test(`cutAfterEvents over ${name}: N events, then the SDK raises; the server keeps serving`, async () => {
    await stack.admin.add({ match: { text: "cut" }, respond: { content: [{ text: LONG }] }, stream: { cutAfterEvents: 5 } });
    const c = client(make);
    try {
      const r = await stream(c, "cut please");
      assert.ok(r.error, "the SDK must raise, never end the stream as if complete");
      assert.equal(r.events.length, 5);
      assert.ok(!r.names.includes("messageStop") && !r.names.includes("metadata"));
      // The same client goes on working (HTTP/2: the connection lives on; HTTP/1.1: a new one).
      const ok = await stream(c, "afterwards");
      assert.equal(ok.error, undefined);
      assert.equal(ok.names.at(-1), "metadata");
    } finally {
      c.destroy();
    }
  });
}

test("cutAfterEvents 0: the response is broken before any event; Converse is not affected", async () => {
  await stack.admin.add({ match: { text: "cut now" }, respond: { content: [{ text: "never seen" }] }, stream: { cutAfterEvents: 0 } });
  for (const [, make] of transports) {
    const c = client(make);
    try {
      await assert.rejects(async () => {
        const r = await stream(c, "cut now");
        if (r.error) throw r.error;
      });
      const unary = await c.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("cut now") }));
      assert.equal(unary.output?.message?.content?.[0].text, "never seen");
    } finally {
      c.destroy();
    }
  }
});

// Client-side clocks only give safe lower bounds measured from before the request: an event can reach the
// client late, never early. Gaps between two events get a wide margin for the same reason.
test("stallAfterEvents and ttftMs: the wait comes where it was asked for", async () => {
  await stack.admin.add({ match: { text: "stall" }, respond: { content: [{ text: LONG }] }, stream: { ttftMs: 150, stallAfterEvents: { after: 4, ms: 400 } } });
  const started = Date.now();
  const out = await stack.h2.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("stall") }));
  assert.ok(Date.now() - started >= 145, "the response (its first event) waited for ttftMs");
  const sentAt = Date.now() - started;
  const r = await readStream(out.stream);
  assert.equal(r.error, undefined);
  assert.ok(sentAt + r.times[4] >= 150 + 400 - 10, "the fifth event came after ttft + stall");
  assert.ok(r.times[4] - r.times[3] >= 250, `stall between events 4 and 5 was ${r.times[4] - r.times[3]} ms`);
  // Converse waits as long as the stream would have.
  const unaryStart = Date.now();
  await stack.h2.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("stall") }));
  assert.ok(Date.now() - unaryStart >= 540);
});

test("tokensPerSecond paces the content deltas", async () => {
  // 30 tokens at 100/s: the last delta leaves at least 290 ms after the first.
  await stack.admin.add({ match: { text: "paced" }, respond: { content: [{ text: LONG }] }, stream: { tokensPerSecond: 100 } });
  const started = Date.now();
  const out = await stack.h2.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("paced") }));
  const r = await readStream(out.stream);
  assert.equal(r.events.filter((e) => e.contentBlockDelta).length, 30);
  assert.ok(Date.now() - started >= 285, `the whole stream took ${Date.now() - started} ms`);
});

test("stream faults alone lie over the model's own answer", async () => {
  await stack.admin.add({ match: { text: "echo then" }, stream: { exceptionAfterEvents: { after: 3, type: "ModelStreamErrorException" } } });
  const r = await stream(stack.h2, "echo then break here please");
  assert.equal(r.events.length, 3);
  assert.deepEqual(r.events.slice(1).map((e) => e.contentBlockDelta?.delta?.text), ["echo", " then"]);
  assert.equal(r.error?.name, "ModelStreamErrorException");
});

test("a cut InvokeModelWithResponseStream makes the SDK raise too", async () => {
  await stack.admin.add({ match: { text: "cut invoke" }, respond: { content: [{ text: LONG }] }, stream: { cutAfterEvents: 6 } });
  for (const [, make] of transports) {
    const c = client(make);
    try {
      const res = await c.send(new InvokeModelWithResponseStreamCommand({
        modelId: CLAUDE, contentType: "application/json",
        body: JSON.stringify({ anthropic_version: ANTHROPIC_VERSION, max_tokens: 100, messages: [{ role: "user", content: "cut invoke" }] }),
      }));
      const types: string[] = [];
      await assert.rejects(async () => {
        for await (const e of res.body!) types.push(JSON.parse(new TextDecoder().decode(e.chunk!.bytes)).type);
      });
      assert.ok(types.length > 0 && !types.includes("message_stop"), types.join(","));
    } finally {
      c.destroy();
    }
  }
});
