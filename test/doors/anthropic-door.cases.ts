// The Anthropic Messages door through @anthropic-ai/sdk: against basalt.echo, and against a model served by
// a fake Chat Completions upstream (the other shape), plain, streamed, with tools, and count_tokens. Errors
// come back in Anthropic's shape and the calls are in the ledger under the "anthropic" front door.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { startOpenAIUpstream, chatStream, completion, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import {
  blockStart, errorEvent, message, messageStart, startAnthropicUpstream, textBlock, textDelta, type FakeAnthropicUpstream,
} from "../fakes/anthropic-upstream.js";

const LLAMA = "meta.llama3-8b-instruct-v1:0";
const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
let basalt: RunningBasalt;
let upstream: FakeOpenAIUpstream;
let claudeUpstream: FakeAnthropicUpstream;
let client: Anthropic;
let prefixed: Anthropic;

before(async () => {
  upstream = await startOpenAIUpstream(() => ({ json: completion({ content: "hello from upstream" }) }));
  claudeUpstream = await startAnthropicUpstream();
  const config = writeConfig(`
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: "sk-up" }
  claude: { type: anthropic, baseUrl: "${claudeUpstream.baseUrl}", apiKey: "sk-ant-up" }
models:
  - { id: "${HAIKU}", provider: claude, model: "claude-3-5-haiku-20241022" }
  - { id: "basalt.echo", provider: echo }
  - { id: "${LLAMA}", provider: local, model: "llama3.1:8b" }
`);
  basalt = await startBasalt({ config });
  client = new Anthropic({ baseURL: basalt.url, apiKey: "unused", maxRetries: 0 });
  prefixed = new Anthropic({ baseURL: `${basalt.url}/anthropic`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  await basalt.stop();
  await upstream.close();
  await claudeUpstream.close();
});

test("messages.create against basalt.echo, at /v1/messages and /anthropic/v1/messages", async () => {
  for (const c of [client, prefixed]) {
    const msg = await c.messages.create({ model: "basalt.echo", max_tokens: 100, system: "be brief", messages: [{ role: "user", content: "Hello there" }] });
    assert.equal(msg.type, "message");
    assert.equal(msg.role, "assistant");
    assert.equal(msg.model, "basalt.echo");
    assert.match(msg.id, /^msg_/);
    assert.deepEqual(msg.content, [{ type: "text", text: "Hello there" }]);
    assert.equal(msg.stop_reason, "end_turn");
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
  }
});

test("a stream's message_start carries the prompt's tokens (echo knows them up front), the same count as the final usage", async () => {
  const stream = client.messages.stream({ model: "basalt.echo", max_tokens: 100, messages: [{ role: "user", content: "count these five words" }] });
  let startTokens: number | undefined;
  stream.on("streamEvent", (e) => {
    if (e.type === "message_start") startTokens = e.message.usage.input_tokens;
  });
  const final = await stream.finalMessage();
  assert.ok(final.usage.input_tokens > 0);
  assert.equal(startTokens, final.usage.input_tokens);
});

test("sampling ranges and the thinking budget are checked as the Messages API checks them", async () => {
  const refused = (body: Record<string, unknown>, message: RegExp) =>
    assert.rejects(client.messages.create({ model: "basalt.echo", max_tokens: 2000, messages: [{ role: "user", content: "x" }], ...body } as never), (err: unknown) => {
      assert.ok(err instanceof Anthropic.BadRequestError, String(err));
      assert.equal((err.error as { error?: { type?: string } }).error?.type, "invalid_request_error");
      assert.match(err.message, message);
      return true;
    });
  await refused({ temperature: 2 }, /temperature: Input should be less than or equal to 1/);
  await refused({ top_p: -0.5 }, /top_p: Input should be greater than or equal to 0/);
  await refused({ thinking: { type: "enabled", budget_tokens: 100 } }, /budget_tokens: Input should be greater than or equal to 1024/);
  await refused({ max_tokens: 1500, thinking: { type: "enabled", budget_tokens: 1500 } }, /`max_tokens` must be greater than `thinking.budget_tokens`/);
  const ok = await client.messages.create({ model: "basalt.echo", max_tokens: 2000, temperature: 1, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "fine" }] } as never) as Anthropic.Message;
  assert.equal(ok.stop_reason, "end_turn");
});

test("the SDK's tool runner (message threads by default) completes: a threaded turn is refused as unsupported and replayed whole", async () => {
  const { betaTool } = await import("@anthropic-ai/sdk/helpers/beta/json-schema");
  const runs: unknown[] = [];
  const tools = [betaTool({
    name: "get_weather", description: "Weather for a city", inputSchema: { type: "object", properties: { city: { type: "string" } } } as const,
    run: async (input) => {
      runs.push(input);
      return "sunny";
    },
  })];
  const final = await client.beta.messages.toolRunner({
    model: "basalt.echo", max_tokens: 200, tools, messages: [{ role: "user", content: '/tool get_weather {"city":"Lyon"}' }],
  });
  assert.deepEqual(runs, [{ city: "Lyon" }]);
  assert.equal(final.stop_reason, "end_turn");
  // Echo repeats the last user turn: the tool's result, so the replayed turn carried the whole conversation.
  assert.match(JSON.stringify(final.content), /sunny/);

  const threaded = await fetch(`${basalt.url}/v1/messages`, {
    method: "POST", headers: { "content-type": "application/json", "x-api-key": "unused", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "basalt.echo", max_tokens: 10, messages: [{ role: "user", content: "hi" }], thread: { type: "create" } }),
  });
  assert.equal(threaded.status, 400);
  const body = (await threaded.json()) as { error: { type: string; details?: { error_code?: string } } };
  assert.equal(body.error.type, "invalid_request_error");
  assert.equal(body.error.details?.error_code, "thread_unsupported_request");
});

test("consecutive turns of one role are combined into one turn, as the Messages API combines them", async () => {
  const msg = await client.messages.create({
    model: "basalt.echo", max_tokens: 100,
    messages: [{ role: "user", content: "first part" }, { role: "user", content: "second part" }],
  });
  // Echo repeats the last user turn: both parts, in order.
  assert.deepEqual(msg.content, [{ type: "text", text: "first part\nsecond part" }]);
  const counted = await client.messages.countTokens({
    model: "basalt.echo", messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "assistant", content: "c" }, { role: "user", content: "d" }],
  });
  assert.ok(counted.input_tokens > 0);
});

test("models: list and retrieve in the Models API's shape, at /v1/models (Anthropic SDK) and /anthropic/v1/models", async () => {
  for (const c of [client, prefixed]) {
    const ids: string[] = [];
    for await (const m of c.models.list()) {
      assert.equal(m.type, "model");
      ids.push(m.id);
    }
    assert.deepEqual(ids, [HAIKU, "basalt.echo", LLAMA]);
    const one = await c.models.retrieve(LLAMA);
    assert.equal(one.id, LLAMA);
    assert.equal(typeof one.display_name, "string");
    await assert.rejects(c.models.retrieve("nobody.none-v1:0"), (err: unknown) => {
      assert.ok(err instanceof Anthropic.NotFoundError, String(err));
      assert.equal((err.error as { error?: { type?: string } }).error?.type, "not_found_error");
      return true;
    });
  }
});

test("messages.stream against basalt.echo: the SDK's events and final message", async () => {
  const stream = client.messages.stream({ model: "basalt.echo", max_tokens: 100, messages: [{ role: "user", content: "one two three four" }] });
  const types: string[] = [];
  stream.on("streamEvent", (e) => types.push(e.type));
  const final = await stream.finalMessage();
  assert.deepEqual(final.content.map((b) => b.type === "text" && b.text), ["one two three four"]);
  assert.equal(types[0], "message_start");
  assert.ok(types.includes("content_block_delta"));
  assert.deepEqual(types.slice(-2), ["message_delta", "message_stop"]);
  assert.equal(final.stop_reason, "end_turn");
  assert.ok(final.usage.output_tokens > 0);
});

test("tools: echo's /tool line comes back as a tool_use block; a tool_result round trip is accepted", async () => {
  const tools = [{ name: "get_weather", description: "weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
  const msg = await client.messages.create({ model: "basalt.echo", max_tokens: 100, tools, messages: [{ role: "user", content: '/tool get_weather {"city":"Lyon"}' }] });
  assert.equal(msg.stop_reason, "tool_use");
  const use = msg.content.find((b) => b.type === "tool_use");
  assert.ok(use && use.type === "tool_use");
  assert.equal(use.name, "get_weather");
  assert.deepEqual(use.input, { city: "Lyon" });
  const next = await client.messages.create({
    model: "basalt.echo", max_tokens: 100, tools,
    messages: [
      { role: "user", content: '/tool get_weather {"city":"Lyon"}' },
      { role: "assistant", content: msg.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "sunny" }, { type: "text", text: "thanks" }] },
    ],
  });
  assert.equal(next.stop_reason, "end_turn");
});

test("count_tokens answers the input tokens", async () => {
  const counted = await client.messages.countTokens({ model: "basalt.echo", messages: [{ role: "user", content: "count these words please" }] });
  assert.ok(counted.input_tokens > 0);
  const more = await client.messages.countTokens({ model: "basalt.echo", messages: [{ role: "user", content: "count these words please and these words too" }] });
  assert.ok(more.input_tokens > counted.input_tokens);
});

test("Anthropic door → an openai provider: plain, streamed and parallel tool calls", async () => {
  const msg = await client.messages.create({ model: LLAMA, max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
  assert.deepEqual(msg.content.map((b) => b.type === "text" && b.text), ["hello from upstream"]);
  const sent = upstream.requests.at(-1)!;
  assert.equal((sent.body as { model: string }).model, "llama3.1:8b");

  upstream.enqueue({ sse: chatStream({ text: ["str", "eamed"] }) });
  const final = await client.messages.stream({ model: LLAMA, max_tokens: 50, messages: [{ role: "user", content: "hi" }] }).finalMessage();
  assert.deepEqual(final.content.map((b) => b.type === "text" && b.text), ["streamed"]);
  assert.equal(final.usage.output_tokens, 10);

  upstream.enqueue({ json: completion({ toolCalls: [{ id: "call_a", name: "a", arguments: '{"x":1}' }, { id: "call_b", name: "b", arguments: '{"y":2}' }] }) });
  const tools = [{ name: "a", input_schema: { type: "object" as const } }, { name: "b", input_schema: { type: "object" as const } }];
  const both = await client.messages.create({ model: LLAMA, max_tokens: 50, tools, messages: [{ role: "user", content: "both" }] });
  assert.equal(both.stop_reason, "tool_use");
  assert.deepEqual(both.content.filter((b) => b.type === "tool_use").map((b) => b.type === "tool_use" && [b.id, b.name, b.input]), [["call_a", "a", { x: 1 }], ["call_b", "b", { y: 2 }]]);
});

test("structured output (output_config.format): echo answers to the schema; an OpenAI-compatible upstream gets response_format", async () => {
  const schema = { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 2 } }, required: ["city", "days"], additionalProperties: false };
  const msg = await client.messages.create({ model: "basalt.echo", max_tokens: 100, output_config: { format: { type: "json_schema", schema } }, messages: [{ role: "user", content: "Lyon" }] } as never);
  const text = (msg as Anthropic.Message).content.map((b) => (b.type === "text" ? b.text : "")).join("");
  assert.deepEqual(JSON.parse(text), { city: "Lyon", days: 2 });

  upstream.enqueue({ json: completion({ content: '{"city":"Paris","days":3}' }) });
  await client.messages.create({ model: LLAMA, max_tokens: 50, output_config: { format: { type: "json_schema", schema }, effort: "low" }, messages: [{ role: "user", content: "where?" }] } as never);
  const sent = upstream.requests.at(-1)!.body as Record<string, unknown>;
  assert.deepEqual(sent.response_format, { type: "json_schema", json_schema: { name: "response", schema } });
  assert.equal(sent.output_config, undefined);

  await assert.rejects(client.messages.create({ model: "basalt.echo", max_tokens: 10, output_config: { format: { type: "xml" } }, messages: [{ role: "user", content: "x" }] } as never), (err: unknown) => {
    assert.ok(err instanceof Anthropic.BadRequestError);
    assert.match(err.message, /output_config\/format/);
    return true;
  });
});

test("an upstream's mid-stream overloaded_error reaches the client as overloaded_error, after the text already sent", async () => {
  claudeUpstream.enqueue({ sse: [messageStart(), blockStart(0, { type: "text", text: "" }), textDelta(0, "partial"), errorEvent("overloaded_error", "Overloaded")] });
  const stream = client.messages.stream({ model: HAIKU, max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
  const texts: string[] = [];
  stream.on("text", (t) => texts.push(t));
  await assert.rejects(stream.finalMessage(), (err: unknown) => {
    assert.ok(err instanceof Anthropic.APIError, String(err));
    assert.equal((err.error as { error?: { type?: string } }).error?.type, "overloaded_error");
    return true;
  });
  assert.deepEqual(texts, ["partial"]);
});

test("mid-conversation system messages (as Claude Code sends them) are taken: counted by echo, kept in place for an OpenAI-compatible upstream", async () => {
  const msg = await client.messages.create({ model: "basalt.echo", max_tokens: 50, messages: [{ role: "user", content: "hello" }, { role: "system", content: "be brief" }] } as never) as Anthropic.Message;
  assert.deepEqual(msg.content, [{ type: "text", text: "hello" }]);
  assert.equal(msg.usage.input_tokens, 3);

  await client.messages.create({ model: LLAMA, max_tokens: 50, messages: [{ role: "user", content: "hi" }, { role: "system", content: [{ type: "text", text: "later rules" }] }, { role: "assistant", content: "ok" }, { role: "user", content: "again" }] } as never);
  const sent = upstream.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
  assert.deepEqual(sent.messages.map((m) => m.role), ["user", "system", "assistant", "user"]);
  assert.equal(sent.messages[1].content, "later rules");

  await assert.rejects(
    client.messages.create({ model: "basalt.echo", max_tokens: 50, messages: [{ role: "user", content: "x" }, { role: "system", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }] }] } as never),
    (err: unknown) => err instanceof Anthropic.BadRequestError && /system message holds only text/.test(err.message),
  );
});

test("search_result blocks (top level and in tool results) and content-sourced documents reach the model; URL sources are refused in plain words", async () => {
  const found = await client.messages.create({ model: "basalt.echo", max_tokens: 100, messages: [{ role: "user", content: [
    { type: "text", text: "read" },
    { type: "search_result", source: "https://docs.example/a", title: "A", content: [{ type: "text", text: "first finding" }], citations: { enabled: true } },
    { type: "document", source: { type: "content", content: [{ type: "text", text: "chunk one" }, { type: "text", text: "chunk two" }] }, title: "Notes" },
  ] }] } as never) as Anthropic.Message;
  assert.deepEqual(found.content, [{ type: "text", text: "read\nfirst finding\n[document txt 18 bytes]" }]);

  const tools = [{ name: "search", input_schema: { type: "object" as const } }];
  const after = await client.messages.create({ model: "basalt.echo", max_tokens: 100, tools, messages: [
    { role: "user", content: "look it up" },
    { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "search", input: {} }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "search_result", source: "https://x", title: "X", content: [{ type: "text", text: "the answer" }] }] }] },
  ] } as never) as Anthropic.Message;
  assert.match((after.content[0] as { text: string }).text, /the answer/);

  await assert.rejects(client.messages.create({ model: "basalt.echo", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "see" }, { type: "image", source: { type: "url", url: "https://example.com/a.png" } }] }] }), (err: unknown) => {
    assert.ok(err instanceof Anthropic.BadRequestError);
    assert.match(err.message, /url sources are not supported here/);
    return true;
  });
});

test("Anthropic's own model names (as Claude Code sends them) reach the served Bedrock id of that model", async () => {
  for (const name of ["claude-3-5-haiku-20241022", "claude-3-5-haiku"]) {
    claudeUpstream.enqueue({ json: message({ content: [textBlock("from haiku")] }) });
    const msg = await client.messages.create({ model: name, max_tokens: 20, messages: [{ role: "user", content: "hi" }] });
    assert.deepEqual(msg.content.map((b) => b.type === "text" && b.text), ["from haiku"]);
    assert.equal(msg.model, name);
    assert.equal((claudeUpstream.requests.at(-1)!.body as { model: string }).model, "claude-3-5-haiku-20241022");
  }
  const [record] = await (await fetch(`${basalt.url}/_basalt/calls?limit=1`)).json() as { requestedModelId: string; modelId: string }[];
  assert.deepEqual([record.requestedModelId, record.modelId], ["claude-3-5-haiku", HAIKU]);
  await assert.rejects(client.messages.create({ model: "claude-3-5", max_tokens: 5, messages: [{ role: "user", content: "x" }] }), Anthropic.NotFoundError);
});

test("errors in Anthropic's shape: unknown model 404, bad request 400", async () => {
  await assert.rejects(client.messages.create({ model: "nobody.none", max_tokens: 5, messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
    assert.ok(err instanceof Anthropic.NotFoundError);
    assert.equal((err.error as { error: { type: string } }).error.type, "not_found_error");
    return true;
  });
  await assert.rejects(client.messages.create({ model: "basalt.echo", max_tokens: 5, messages: [] }), (err: unknown) => {
    assert.ok(err instanceof Anthropic.BadRequestError);
    assert.equal((err.error as { type: string; error: { type: string } }).type, "error");
    assert.equal((err.error as { error: { type: string } }).error.type, "invalid_request_error");
    return true;
  });
});

test("the door's calls are in /_basalt/usage and /_basalt/calls under the anthropic front door", async () => {
  const usage = (await (await fetch(`${basalt.url}/_basalt/usage?groupBy=frontDoor,operation`)).json()) as { frontDoor: string; operation: string; requests: number }[];
  const messages = usage.find((r) => r.frontDoor === "anthropic" && r.operation === "Messages");
  assert.ok(messages && messages.requests >= 5, JSON.stringify(usage));
  assert.ok(usage.some((r) => r.frontDoor === "anthropic" && r.operation === "MessagesStream"));
});
