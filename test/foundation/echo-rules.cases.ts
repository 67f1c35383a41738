// The basalt.echo rules of issue 3, through the SDK on both transports; Converse, ConverseStream and
// CountTokens must agree.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, InvokeModelCommand, ValidationException,
  type BedrockRuntimeClient, type ConverseCommandInput, type ConverseStreamOutput, type ToolChoice,
} from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { transports } from "../helpers/clients.js";

type Req = Omit<ConverseCommandInput, "modelId">;
/** All of a request's prompt tokens: the uncached ones plus those read from and written to the prompt cache. */
const promptTokens = (u: { inputTokens?: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number }) =>
  (u.inputTokens ?? 0) + (u.cacheReadInputTokens ?? 0) + (u.cacheWriteInputTokens ?? 0);
const user = (...content: object[]) => ({ role: "user", content }) as never;
const assistant = (...content: object[]) => ({ role: "assistant", content }) as never;
const text = (t: string) => ({ text: t });
const bytes = (n: number) => new Uint8Array(n).fill(7);
const toolConfig = (choice?: ToolChoice) => ({
  tools: ["get_weather", "get_time"].map((name) => ({ toolSpec: { name, inputSchema: { json: { type: "object" } } } })),
  ...(choice ? { toolChoice: choice } : {}),
});

let basalt: InProcessBasalt;
before(async () => (basalt = await startInProcess()));
after(async () => void (await basalt.stop()));

async function collect(stream: AsyncIterable<ConverseStreamOutput>) {
  const events: ConverseStreamOutput[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

for (const [label, makeClient] of transports) {
  describe(`echo rules over ${label}`, () => {
    let client: BedrockRuntimeClient;
    before(() => (client = makeClient(basalt.url)));
    after(() => client.destroy());
    const converse = (req: Req) => client.send(new ConverseCommand({ modelId: "basalt.echo", ...req }));

    async function replyOf(req: Req) {
      const out = await converse(req);
      return { text: out.output!.message!.content![0].text, out };
    }

    test("the issue's example: text + 67-byte png + 40-byte pdf", async () => {
      const { text: reply, out } = await replyOf({
        messages: [user(text("look"), { image: { format: "png", source: { bytes: bytes(67) } } },
          { document: { format: "pdf", name: "doc", source: { bytes: bytes(40) } } })],
      });
      assert.equal(reply, "look\n[image png 67 bytes]\n[document pdf 40 bytes]");
      assert.equal(out.stopReason, "end_turn");
      assert.equal(out.output!.message!.role, "assistant");
      assert.equal(typeof out.metrics!.latencyMs, "number");
    });

    test("rendering of video, toolUse, toolResult, guardContent and cachePoint", async () => {
      const { text: reply } = await replyOf({
        toolConfig: toolConfig(),
        messages: [
          user(text("start")),
          assistant({ toolUse: { toolUseId: "tu1", name: "get_weather", input: { city: "Paris" } } }),
          user(
            { toolResult: { toolUseId: "tu1", content: [text("sunny"), { json: { temp: 21, unit: "C" } }] } },
            { video: { format: "mp4", source: { bytes: bytes(1000) } } },
            { guardContent: { text: { text: "guarded words" } } },
            { cachePoint: { type: "default" } },
          ),
        ],
      });
      assert.equal(reply, 'toolResult tu1 success: sunny\n{"temp":21,"unit":"C"}\n[video mp4 1000 bytes]\nguarded words');
    });

    test("toolResult status error is rendered", async () => {
      const { text: reply } = await replyOf({
        toolConfig: toolConfig(),
        messages: [user(text("go")), assistant({ toolUse: { toolUseId: "tu9", name: "get_time", input: {} } }),
          user({ toolResult: { toolUseId: "tu9", status: "error", content: [text("boom")] } })],
      });
      assert.equal(reply, "toolResult tu9 error: boom");
    });

    test("usage counts system blocks and every message; the reply is only the last user message", async () => {
      const req: Req = {
        system: [{ text: "be terse please" }, { cachePoint: { type: "default" } }],
        messages: [user(text("alpha beta")), assistant(text("gamma")), user(text("delta  epsilon\nzeta"))],
      };
      const { text: reply, out } = await replyOf(req);
      assert.equal(reply, "delta  epsilon\nzeta");
      // With a cache point, the prompt's tokens split into uncached, read and written ones (issue 19's
      // prompt-cache rules, test/fidelity/echo-features.test.ts); together they are the whole prompt.
      assert.deepEqual(
        { i: promptTokens(out.usage!), o: out.usage!.outputTokens, t: out.usage!.totalTokens },
        { i: 3 + 2 + 1 + 3, o: 3, t: 12 },
      );
      const counted = await client.send(new CountTokensCommand({ modelId: "basalt.echo", input: { converse: req as never } }));
      assert.equal(counted.inputTokens, promptTokens(out.usage!));
      const stream = await collect((await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", ...req }))).stream!);
      assert.equal(promptTokens(stream.at(-1)!.metadata!.usage!), promptTokens(out.usage!));
    });

    test("CountTokens counts an invokeModel body as the tokens of its text, as InvokeModel and Converse do", async () => {
      const prompt = "one two  three\nfour";
      const body = new TextEncoder().encode(JSON.stringify({ inputText: prompt }));
      const counted = await client.send(new CountTokensCommand({ modelId: "basalt.echo", input: { invokeModel: { body } } }));
      assert.equal(counted.inputTokens, 4);
      const invoked = await client.send(new InvokeModelCommand({ modelId: "basalt.echo", body, contentType: "application/json" }));
      assert.equal(JSON.parse(new TextDecoder().decode(invoked.body)).usage.inputTokens, counted.inputTokens);
      const conversed = await converse({ messages: [user(text(prompt))] });
      assert.equal(conversed.usage!.inputTokens, counted.inputTokens);
    });

    test("CountTokens equals Converse inputTokens for every kind of block, tools and system included", async () => {
      const req: Req = {
        system: [{ text: "sys one" }, { guardContent: { text: { text: "guarded sys" } } }],
        toolConfig: toolConfig(),
        messages: [
          user(text("look here"), { image: { format: "gif", source: { bytes: bytes(3) } } }),
          assistant(text("ok then"), { toolUse: { toolUseId: "t1", name: "get_time", input: { tz: "UTC", n: [1, 2] } } }),
          user({ toolResult: { toolUseId: "t1", status: "error", content: [{ json: { a: 1 } }, text("and text")] } },
            { document: { format: "txt", name: "notes", source: { bytes: bytes(9) } } }, text("read it"), { cachePoint: { type: "default" } }),
        ],
      };
      const out = await converse(req);
      // sys one(2) + guarded sys(2) + look here [image gif 3 bytes](6) + ok then {"tz":"UTC","n":[1,2]}(3)
      // + toolResult t1 error: {"a":1}\nand text(6) + [document txt 9 bytes](4) + read it(2)
      assert.equal(promptTokens(out.usage!), 25);
      const counted = await client.send(new CountTokensCommand({ modelId: "basalt.echo", input: { converse: req as never } }));
      assert.equal(counted.inputTokens, promptTokens(out.usage!));
    });

    test("maxTokens cuts after the N-th token", async () => {
      const { text: reply, out } = await replyOf({ messages: [user(text("one two three four"))], inferenceConfig: { maxTokens: 2 } });
      assert.equal(reply, "one two");
      assert.equal(out.stopReason, "max_tokens");
      assert.equal(out.usage!.outputTokens, 2);
    });

    test("maxTokens equal to the reply length does not cut", async () => {
      const { text: reply, out } = await replyOf({ messages: [user(text("one two"))], inferenceConfig: { maxTokens: 2 } });
      assert.equal(reply, "one two");
      assert.equal(out.stopReason, "end_turn");
    });

    test("the issue's stopSequences example: [\"three\"] → \"one two \"", async () => {
      const { text: reply, out } = await replyOf({ messages: [user(text("one two three four"))], inferenceConfig: { stopSequences: ["three"] } });
      assert.equal(reply, "one two ");
      assert.equal(out.stopReason, "stop_sequence");
      assert.equal(out.usage!.outputTokens, 2);
    });

    test("stopSequences cut before the earliest occurrence, keeping trailing whitespace", async () => {
      const { text: reply, out } = await replyOf({
        messages: [user(text("one two three four"))], inferenceConfig: { stopSequences: ["four", "three"] },
      });
      assert.equal(reply, "one two ");
      assert.equal(out.stopReason, "stop_sequence");
    });

    test("with both limits the earlier cut wins", async () => {
      const a = await replyOf({ messages: [user(text("one two three four"))], inferenceConfig: { maxTokens: 3, stopSequences: ["two"] } });
      assert.deepEqual([a.text, a.out.stopReason], ["one ", "stop_sequence"]);
      const b = await replyOf({ messages: [user(text("one two three four"))], inferenceConfig: { maxTokens: 1, stopSequences: ["four"] } });
      assert.deepEqual([b.text, b.out.stopReason], ["one", "max_tokens"]);
    });

    test("/tool NAME {json} answers with a toolUse block, same id for the same request", async () => {
      const req: Req = { toolConfig: toolConfig(), messages: [user(text('/tool get_weather {"city": "Oslo"}'))] };
      const a = await converse(req);
      const b = await converse(req);
      const use = a.output!.message!.content![0].toolUse!;
      assert.equal(a.stopReason, "tool_use");
      assert.equal(use.name, "get_weather");
      assert.deepEqual(use.input, { city: "Oslo" });
      assert.match(use.toolUseId!, /^[a-zA-Z0-9_-]+$/);
      assert.equal(b.output!.message!.content![0].toolUse!.toolUseId, use.toolUseId);
      const other = await converse({ ...req, messages: [user(text('/tool get_weather {"city": "Rome"}'))] });
      assert.notEqual(other.output!.message!.content![0].toolUse!.toolUseId, use.toolUseId);
    });

    test("/tool without JSON calls with {}", async () => {
      const out = await converse({ toolConfig: toolConfig(), messages: [user(text("/tool get_time"))] });
      assert.deepEqual(out.output!.message!.content![0].toolUse!.input, {});
    });

    test("/tool with an unknown name or invalid JSON is a ValidationException", async () => {
      await assert.rejects(converse({ toolConfig: toolConfig(), messages: [user(text("/tool nope {}"))] }), ValidationException);
      await assert.rejects(converse({ toolConfig: toolConfig(), messages: [user(text("/tool get_time {oops"))] }), ValidationException);
      await assert.rejects(converse({ messages: [user(text("/tool get_time"))] }), ValidationException);
    });

    test("toolChoice tool always calls that tool; any calls the first; auto only on /tool lines", async () => {
      const forced = await converse({ toolConfig: toolConfig({ tool: { name: "get_time" } }), messages: [user(text("hello"))] });
      assert.equal(forced.output!.message!.content![0].toolUse!.name, "get_time");
      assert.deepEqual(forced.output!.message!.content![0].toolUse!.input, {});
      const forcedWithLine = await converse({
        toolConfig: toolConfig({ tool: { name: "get_time" } }), messages: [user(text('/tool get_time {"tz": "UTC"}'))],
      });
      assert.deepEqual(forcedWithLine.output!.message!.content![0].toolUse!.input, { tz: "UTC" });
      const any = await converse({ toolConfig: toolConfig({ any: {} }), messages: [user(text("hello"))] });
      assert.equal(any.output!.message!.content![0].toolUse!.name, "get_weather");
      const auto = await converse({ toolConfig: toolConfig({ auto: {} }), messages: [user(text("hello"))] });
      assert.equal(auto.output!.message!.content![0].text, "hello");
      assert.equal(auto.stopReason, "end_turn");
    });

    test("a forced call without a /tool line gets the smallest input its schema allows, strings from the prompt's words", async () => {
      const schema = { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 }, note: { type: "string" } }, required: ["city", "days"] };
      const forced = await converse({
        toolConfig: { tools: [{ toolSpec: { name: "json", inputSchema: { json: schema } } }], toolChoice: { tool: { name: "json" } } },
        messages: [user(text("Lyon tomorrow"))],
      });
      assert.deepEqual(forced.output!.message!.content![0].toolUse!.input, { city: "Lyon", days: 1 });
      const any = await converse({ toolConfig: { tools: [{ toolSpec: { name: "json", inputSchema: { json: schema } } }], toolChoice: { any: {} } }, messages: [user(text("Oslo"))] });
      assert.deepEqual(any.output!.message!.content![0].toolUse!.input, { city: "Oslo", days: 1 });
    });

    test("streaming: one delta per token with the whitespace before it; joined deltas equal the Converse reply", async () => {
      const req: Req = { messages: [user(text("  alpha  beta\n\tgamma "))] };
      const { text: reply } = await replyOf(req);
      const events = await collect((await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", ...req }))).stream!);
      const deltas = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!.delta!.text!);
      assert.deepEqual(deltas, ["  alpha", "  beta", "\n\tgamma "]);
      assert.equal(deltas.join(""), reply);
    });

    for (const inferenceConfig of [{ maxTokens: 2 }, { stopSequences: ["three"] }, { maxTokens: 3, stopSequences: ["four"] }]) {
      test(`streaming with ${JSON.stringify(inferenceConfig)}: the same cut, stopReason and usage as Converse`, async () => {
        const req: Req = { messages: [user(text("one two three four"))], inferenceConfig };
        const { text: reply, out } = await replyOf(req);
        const events = await collect((await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", ...req }))).stream!);
        const joined = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
        assert.equal(joined, reply);
        assert.equal(events.find((e) => e.messageStop)!.messageStop!.stopReason, out.stopReason);
        assert.deepEqual(events.at(-1)!.metadata!.usage, out.usage);
      });
    }

    test("streaming a tool call: contentBlockStart, then input chunks that join to the JSON", async () => {
      const input = { city: "Reykjavik", days: 5, units: "metric", detail: ["wind", "rain"] };
      const req: Req = { toolConfig: toolConfig(), messages: [user(text(`/tool get_weather ${JSON.stringify(input)}`))] };
      const converseOut = await converse(req);
      const events = await collect((await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", ...req }))).stream!);
      const names = events.map((e) => Object.keys(e).find((k) => k !== "$unknown"));
      assert.equal(names[0], "messageStart");
      assert.equal(names[1], "contentBlockStart");
      const start = events[1].contentBlockStart!;
      assert.equal(start.start!.toolUse!.name, "get_weather");
      assert.equal(start.start!.toolUse!.toolUseId, converseOut.output!.message!.content![0].toolUse!.toolUseId);
      const chunks = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta!.delta!.toolUse!.input!);
      assert.ok(chunks.length > 1, "input arrives in several chunks");
      assert.deepEqual(JSON.parse(chunks.join("")), input);
      assert.deepEqual(names.slice(-3), ["contentBlockStop", "messageStop", "metadata"]);
      assert.equal(events.at(-2)!.messageStop!.stopReason, "tool_use");
    });
  });
}
