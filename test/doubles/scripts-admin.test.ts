// /_basalt/scripts through plain HTTP and the SDK: add, list (with match counts), get, delete one and all;
// `times` and `probability`; every stop reason; any exception by name (and a chosen status); bad scripts
// refused with the key at fault.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, ConverseStreamCommand, ModelTimeoutException, ServiceUnavailableException, ThrottlingException,
} from "@aws-sdk/client-bedrock-runtime";
import { readStream, startDoubles, type DoublesStack } from "./harness.js";
import { runCli, writeConfig } from "../helpers/start-basalt.js";

let stack: DoublesStack;
before(async () => (stack = await startDoubles()));
afterEach(() => stack.admin.clear());
after(() => stack.close());

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];
const converse = (text: string) => stack.h2.send(new ConverseCommand({ modelId: "basalt.echo", messages: say(text) }));
const textOf = (out: Awaited<ReturnType<typeof converse>>) => out.output?.message?.content?.map((b) => b.text).join("");

test("add, list with match counts, get, delete one, delete all", async () => {
  const added = await stack.admin.add({ id: "hi", match: { text: "hi" }, respond: { content: [{ text: "scripted" }] } });
  assert.equal(added.id, "hi");
  assert.equal(added.matched, 0);
  const generated = await stack.admin.add({ match: { text: "bye" }, respond: { content: [{ text: "later" }] } });
  assert.match(String(generated.id), /^[0-9a-f-]{36}$/);
  assert.equal(textOf(await converse("hi there")), "scripted");
  assert.equal(textOf(await converse("hi again")), "scripted");
  const list = await stack.admin.request<{ scripts: { id: string; matched: number }[] }>("GET", "/_basalt/scripts");
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.scripts.map((s) => [s.id, s.matched]), [["hi", 2], [generated.id, 0]]);
  const one = await stack.admin.request("GET", "/_basalt/scripts/hi");
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.respond, { content: [{ text: "scripted" }] });
  assert.equal((await stack.admin.request("DELETE", "/_basalt/scripts/hi")).status, 200);
  assert.equal(textOf(await converse("hi there")), "hi there", "removed: echo answers again");
  const missing = await stack.admin.request("DELETE", "/_basalt/scripts/hi");
  assert.equal(missing.status, 404);
  assert.match(String(missing.body.message), /No script with id hi/);
  assert.equal((await stack.admin.request("GET", "/_basalt/scripts/nope")).status, 404);
  const cleared = await stack.admin.request("DELETE", "/_basalt/scripts");
  assert.deepEqual(cleared.body, { removed: 1 });
  assert.deepEqual((await stack.admin.request("GET", "/_basalt/scripts")).body, { scripts: [] });
});

test("several at once, all or none; bad scripts are a 400 naming the key", async () => {
  const many = await stack.admin.request<{ scripts: unknown[] }>("POST", "/_basalt/scripts", {
    scripts: [{ id: "a", match: { text: "a" }, respond: { content: [{ text: "A" }] } }, { id: "b", match: { text: "b" }, error: { type: "ThrottlingException" } }],
  });
  assert.equal(many.status, 201);
  assert.equal(many.body.scripts.length, 2);
  const bad = await stack.admin.request("POST", "/_basalt/scripts", {
    scripts: [{ id: "c", respond: { content: [{ text: "C" }] } }, { id: "d", respond: { content: [{ text: "D" }], stopReason: "finished" } }],
  });
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.message), /scripts\[1\]: .*respond\.stopReason/);
  assert.equal((await stack.admin.request<{ scripts: unknown[] }>("GET", "/_basalt/scripts")).body.scripts.length, 2, "none of the bad batch was added");
  for (const [body, pattern] of [
    [{ respond: { content: [{ toolUse: { name: "x", input: {} } }] } }, /toolUseId/],
    [{ error: { type: "TeapotException" } }, /error\.type/],
    [{ match: { model: 5 }, respond: { content: [] } }, /match\.model/],
    [{ respond: { content: [] }, stream: { cutAfterEvents: -1 } }, /stream\.cutAfterEvents/],
    ["{not json", /Unable to parse/],
  ] as const) {
    const r = await stack.admin.request("POST", "/_basalt/scripts", body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(String(r.body.message), pattern);
  }
});

test("times: the script answers N calls, then falls through to the older script, then to the model", async () => {
  await stack.admin.add({ id: "old", match: { text: "x" }, times: 1, respond: { content: [{ text: "old" }] } });
  await stack.admin.add({ id: "new", match: { text: "x" }, times: 2, respond: { content: [{ text: "new" }] } });
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(textOf(await converse("x")));
  assert.deepEqual(answers, ["new", "new", "old", "x"]);
  const list = (await stack.admin.request<{ scripts: { id: string; matched: number; remaining: number }[] }>("GET", "/_basalt/scripts")).body.scripts;
  assert.deepEqual(list.map((s) => [s.id, s.matched, s.remaining]), [["old", 1, 0], ["new", 2, 0]]);
});

test("probability 0.2 over 2000 calls throttles 20 % ± 3 %", async () => {
  await stack.admin.add({ id: "flaky", match: { text: "flaky" }, probability: 0.2, error: { type: "ThrottlingException", message: "Too many requests" } });
  let throttled = 0;
  let ok = 0;
  const one = async () => {
    try {
      await converse("flaky call");
      ok++;
    } catch (err) {
      assert.ok(err instanceof ThrottlingException);
      assert.equal(err.$metadata.httpStatusCode, 429);
      throttled++;
    }
  };
  // 20 calls in flight at a time.
  for (let i = 0; i < 100; i++) await Promise.all(Array.from({ length: 20 }, one));
  assert.equal(ok + throttled, 2000);
  assert.ok(throttled >= 340 && throttled <= 460, `${throttled} of 2000 throttled`);
  const list = (await stack.admin.request<{ scripts: { matched: number }[] }>("GET", "/_basalt/scripts")).body.scripts;
  assert.equal(list[0].matched, throttled);
});

test("every stop reason of the service model, through Converse and ConverseStream", async () => {
  const reasons = ["end_turn", "tool_use", "max_tokens", "stop_sequence", "guardrail_intervened", "content_filtered", "malformed_model_output", "malformed_tool_use", "model_context_window_exceeded"];
  for (const reason of reasons) {
    await stack.admin.add({ id: reason, match: { text: `stop:${reason}` }, respond: { content: [{ text: `stopped by ${reason}` }], stopReason: reason } });
  }
  for (const reason of reasons) {
    const out = await converse(`stop:${reason}`);
    assert.equal(out.stopReason, reason);
    const stream = await stack.h2.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say(`stop:${reason}`) }));
    const { events } = await readStream(stream.stream);
    assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, reason);
  }
});

test("error: any exception by name with its real status, or a chosen one; streams fail before the first event", async () => {
  await stack.admin.add({ match: { text: "timeout" }, error: { type: "ModelTimeoutException", message: "model took too long" } });
  await stack.admin.add({ match: { text: "unavailable" }, error: { type: "ServiceUnavailableException", status: 502 } });
  await assert.rejects(converse("timeout"), (e: unknown) => e instanceof ModelTimeoutException && e.message === "model took too long" && e.$metadata.httpStatusCode === 408);
  await assert.rejects(converse("unavailable"), (e: unknown) => e instanceof ServiceUnavailableException && e.$metadata.httpStatusCode === 502);
  await assert.rejects(
    stack.h2.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("timeout") })),
    (e: unknown) => e instanceof ModelTimeoutException,
  );
});

test("match on model and operation: a ConverseStream-only script leaves Converse alone", async () => {
  await stack.admin.add({ match: { model: "basalt.*", operation: "ConverseStream" }, respond: { content: [{ text: "streamed script" }] } });
  assert.equal(textOf(await converse("plain")), "plain");
  const stream = await stack.h2.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("plain") }));
  const { events } = await readStream(stream.stream);
  assert.equal(events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join(""), "streamed script");
});

test("a bad script in the config stops start-up with the key at fault; a cassette config too", async () => {
  const bad = await runCli(["--port", "0", "--config", writeConfig(`scripts:\n  - { match: { text: x }, respond: { content: [ { text: y } ], stopReason: finished } }\n`)]);
  assert.equal(bad.code, 2);
  assert.match(bad.output, /scripts\[0\]\.respond\.stopReason/);
  const cassettes = await runCli(["--port", "0", "--config", writeConfig(`models:\n  - { id: m, provider: echo, cassettes: { mode: rewind } }\n`)]);
  assert.equal(cassettes.code, 2);
  assert.match(cassettes.output, /models\[0\]\.cassettes\.mode/);
});
