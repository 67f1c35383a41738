// The scripts policy in process, over a counting backend: what matches (model glob, operation, caller,
// text, regex, system), newest wins, times, probability, respond / error / stream, usage computed, and
// what a bad script is told. The end-to-end behaviour through the SDKs is in scripts-*.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BedrockError } from "../../src/core/errors.js";
import { StreamCut } from "../../src/core/stream-cut.js";
import { ScriptStore } from "../../src/gateway/policies/scripts/script-store.js";
import { scriptsPolicy } from "../../src/gateway/policies/scripts/scripts-policy.js";
import { callContext, CountingBackend, drain, say } from "./in-process.js";

const hello = { content: [{ text: "scripted hello" }] };

function setup(scripts: unknown[] = [], random?: () => number) {
  const store = new ScriptStore([], { random });
  for (const s of scripts) store.add(s);
  const backend = new CountingBackend();
  return { store, backend, model: scriptsPolicy(store)(backend) };
}

const textOf = (out: Awaited<ReturnType<CountingBackend["converse"]>>) =>
  out.output && "message" in out.output ? out.output.message.content.map((b) => ("text" in b ? b.text : "")).join("") : "";

test("a matching script answers without the backend; others reach it; the record names the script", async () => {
  const { model, backend } = setup([{ id: "greet", match: { text: "hello" }, respond: hello }]);
  const ctx = callContext();
  assert.equal(textOf(await model.converse(say("well hello there"), ctx)), "scripted hello");
  assert.equal(ctx.record.script, "greet");
  assert.equal(backend.calls, 0);
  const other = callContext();
  assert.equal(textOf(await model.converse(say("goodbye"), other)), "from the backend");
  assert.equal(other.record.script, undefined);
  assert.equal(backend.calls, 1);
});

test("match fields: model glob (served or requested id), operation, caller, regex, system; all must hold", async () => {
  const { model } = setup([
    { id: "glob", match: { model: "backend.*" , text: "g" }, respond: { content: [{ text: "glob" }] } },
    { id: "other-model", match: { model: "nomatch.*", text: "m" }, respond: { content: [{ text: "never" }] } },
    { id: "requested", match: { model: "us.backend.?odel", text: "r" }, respond: { content: [{ text: "requested" }] } },
    { id: "op", match: { operation: "InvokeModel", text: "o" }, respond: { content: [{ text: "invoke only" }] } },
    { id: "caller", match: { caller: "ci", text: "c" }, respond: { content: [{ text: "ci caller" }] } },
    { id: "regex", match: { regex: "^order #\\d+$" }, respond: { content: [{ text: "regex" }] } },
    { id: "system", match: { system: "pirate", text: "s" }, respond: { content: [{ text: "arr" }] } },
  ]);
  const ask = async (input: ReturnType<typeof say>, ctx = callContext()) => textOf(await model.converse(input, ctx));
  assert.equal(await ask(say("g")), "glob");
  assert.equal(await ask(say("m")), "from the backend");
  assert.equal(await ask(say("r"), callContext({ modelId: "us.backend.model" })), "requested");
  assert.equal(await ask(say("o")), "from the backend");
  assert.equal(await ask(say("o"), callContext({ operation: "InvokeModel" })), "invoke only");
  assert.equal(await ask(say("c")), "from the backend");
  assert.equal(await ask(say("c"), callContext({ caller: { name: "ci", via: "api-key" } })), "ci caller");
  assert.equal(await ask(say("order #42")), "regex");
  assert.equal(await ask(say("order #42 now")), "from the backend");
  assert.equal(await ask(say("s", "You are a pirate.")), "arr");
  assert.equal(await ask(say("s")), "from the backend");
});

test("a script's regex runs in linear time on the client's text; a backreference keeps JavaScript's engine", { timeout: 20_000 }, async () => {
  const { model } = setup([
    { id: "nested", match: { regex: "(a+)+$" }, respond: { content: [{ text: "nested" }] } },
    { id: "twice", match: { regex: "^(\\w+) \\1$" }, respond: { content: [{ text: "twice" }] } },
  ]);
  const ask = async (text: string) => textOf(await model.converse(say(text), callContext()));
  // 2^48 paths for a backtracking engine: this would not return within the test's timeout.
  assert.equal(await ask(`${"a".repeat(48)}!`), "from the backend");
  assert.equal(await ask("xaaa"), "nested");
  assert.equal(await ask("hey hey"), "twice");
  assert.equal(await ask("hey you"), "from the backend");
});

test("operation defaults to Converse / ConverseStream when the front door did not name one", async () => {
  const { model } = setup([{ match: { operation: "ConverseStream" }, respond: hello }]);
  assert.equal(textOf(await model.converse(say("x"), callContext())), "from the backend");
  const { events } = await drain(model.converseStream(say("x"), callContext()));
  assert.equal(events.filter((e) => e.contentBlockDelta).map((e) => (e.contentBlockDelta!.delta as { text: string }).text).join(""), "scripted hello");
});

test("text is the last user message's text blocks joined with \\n; a turn of only tool results is the empty string", async () => {
  const { model } = setup([
    { id: "joined", match: { text: "first\nsecond" }, respond: { content: [{ text: "joined" }] } },
    { id: "empty", match: { regex: "^$" }, respond: { content: [{ text: "empty" }] } },
  ]);
  const two = { messages: [{ role: "user" as const, content: [{ text: "first" }, { text: "second" }] }] };
  assert.equal(textOf(await model.converse(two, callContext())), "joined");
  const toolTurn = {
    messages: [
      { role: "user" as const, content: [{ text: "weather?" }] },
      { role: "assistant" as const, content: [{ toolUse: { toolUseId: "t1", name: "w", input: {} } }] },
      { role: "user" as const, content: [{ toolResult: { toolUseId: "t1", content: [{ text: "sunny" }] } }] },
    ],
  };
  assert.equal(textOf(await model.converse(toolTurn, callContext())), "empty");
});

test("the newest matching script wins; times falls through to older scripts, then to the backend", async () => {
  const { model, store } = setup([
    { id: "old", match: { text: "x" }, respond: { content: [{ text: "old" }] } },
    { id: "new", match: { text: "x" }, times: 2, respond: { content: [{ text: "new" }] } },
  ]);
  const answers: string[] = [];
  for (let i = 0; i < 3; i++) answers.push(textOf(await model.converse(say("x"), callContext())));
  assert.deepEqual(answers, ["new", "new", "old"]);
  assert.deepEqual(store.list().map((s) => [s.id, s.matched, s.remaining]), [["old", 1, undefined], ["new", 2, 0]]);
  store.remove("old");
  assert.equal(textOf(await model.converse(say("x"), callContext())), "from the backend");
});

test("probability: a seeded draw answers exactly the calls whose draw is under it", async () => {
  const draws = [0.1, 0.5, 0.19, 0.2, 0.9];
  let i = 0;
  const { model, backend } = setup([{ match: {}, probability: 0.2, error: { type: "ThrottlingException" } }], () => draws[i++]);
  const outcomes: string[] = [];
  for (let n = 0; n < draws.length; n++) {
    outcomes.push(await model.converse(say("x"), callContext()).then(() => "ok", (e: BedrockError) => e.errorName));
  }
  assert.deepEqual(outcomes, ["ThrottlingException", "ok", "ThrottlingException", "ok", "ok"]);
  assert.equal(backend.calls, 3);
});

test("error: any Bedrock exception by name, with its message; on a stream it fails before the first event", async () => {
  const { model } = setup([{ match: {}, error: { type: "ModelTimeoutException", message: "too slow" } }]);
  await assert.rejects(model.converse(say("x"), callContext()), (e: BedrockError) => e.errorName === "ModelTimeoutException" && e.message === "too slow");
  const { events, error } = await drain(model.converseStream(say("x"), callContext()));
  assert.equal(events.length, 0);
  assert.equal((error as BedrockError).errorName, "ModelTimeoutException");
});

test("usage: omitted members are computed (input as basalt.echo counts, output from the content), given ones kept", async () => {
  const { model } = setup([
    { match: { text: "computed" }, respond: { content: [{ text: "one two three" }, { toolUse: { toolUseId: "t", name: "n", input: { a: 1 } } }] } },
    { match: { text: "cached" }, respond: { content: [{ text: "hi" }], usage: { inputTokens: 5, cacheReadInputTokens: 100, cacheWriteInputTokens: 20 } } },
  ]);
  const a = await model.converse(say("count these computed words"), callContext());
  assert.deepEqual(a.usage, { inputTokens: 4, outputTokens: 4, totalTokens: 8 });
  assert.equal(a.stopReason, "tool_use", "a toolUse block makes tool_use the default stop reason");
  const b = await model.converse(say("cached"), callContext());
  assert.deepEqual(b.usage, { inputTokens: 5, outputTokens: 1, totalTokens: 126, cacheReadInputTokens: 100, cacheWriteInputTokens: 20 });
  assert.equal(b.stopReason, "end_turn");
});

test("stream faults apply to the provider's own answer when the script has no respond", async () => {
  const { model, backend } = setup([{ match: {}, stream: { cutAfterEvents: 2 } }]);
  const { events, error } = await drain(model.converseStream(say("x"), callContext()));
  assert.equal(backend.calls, 1);
  assert.equal(events.length, 2);
  assert.ok(error instanceof StreamCut);
});

test("bad scripts are refused with the key at fault", () => {
  const store = new ScriptStore();
  const refuse = (script: unknown, message: RegExp) => assert.throws(() => store.add(script), (e: BedrockError) => e.errorName === "ValidationException" && message.test(e.message));
  refuse({ match: {} }, /needs respond, error or stream/);
  refuse({ respond: { content: [{ text: "x" }] }, error: { type: "ThrottlingException" } }, /cannot be combined/);
  refuse({ error: { type: "NoSuchException" } }, /error\.type/);
  refuse({ respond: { content: [{ text: "x" }], stopReason: "done" } }, /respond\.stopReason/);
  refuse({ respond: { content: [{ toolUse: { name: "n", input: {} } }] } }, /toolUseId/);
  refuse({ respond: { content: [{ toolResult: { toolUseId: "t", content: [] } }] } }, /cannot carry a toolResult/);
  refuse({ match: { regex: "(" }, respond: hello }, /match\.regex: not a valid regular expression/);
  refuse({ respond: hello, probability: 2 }, /probability/);
  refuse({ respond: hello, surprise: true }, /surprise: unknown key/);
  assert.equal(store.size, 0);
});
