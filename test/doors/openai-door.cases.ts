// The OpenAI-compatible door through the `openai` SDK: chat completions (plain, streamed with usage, tools,
// parallel tools, json_schema) against basalt.echo and against a model served by a fake Anthropic upstream
// (the other shape), the model list, errors in OpenAI's shape, and one quota shared by every door.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { h1Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { message, messageStream, startAnthropicUpstream, textBlock, thinkingBlock, toolUseBlock, type FakeAnthropicUpstream } from "../fakes/anthropic-upstream.js";

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const LIMITED = "amazon.nova-micro-v1:0";
let basalt: RunningBasalt;
let upstream: FakeAnthropicUpstream;
let openai: OpenAI;
let prefixed: OpenAI;

before(async () => {
  upstream = await startAnthropicUpstream();
  const config = writeConfig(`
providers:
  claude: { type: anthropic, baseUrl: "${upstream.baseUrl}", apiKey: "sk-ant-test" }
models:
  - { id: "basalt.echo", provider: echo }
  - { id: "${HAIKU}", provider: claude, model: "claude-3-5-haiku-20241022" }
  - { id: "${LIMITED}", provider: echo, limits: { requestsPerMinute: 2 } }
`);
  basalt = await startBasalt({ config });
  openai = new OpenAI({ baseURL: `${basalt.url}/v1`, apiKey: "unused", maxRetries: 0 });
  prefixed = new OpenAI({ baseURL: `${basalt.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  await basalt.stop();
  await upstream.close();
});

test("chat.completions.create against basalt.echo at /v1 and /openai/v1", async () => {
  for (const c of [openai, prefixed]) {
    const done = await c.chat.completions.create({ model: "basalt.echo", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "Hello there" }] });
    assert.equal(done.object, "chat.completion");
    assert.equal(done.model, "basalt.echo");
    assert.equal(done.choices[0].message.content, "Hello there");
    assert.equal(done.choices[0].finish_reason, "stop");
    assert.ok(done.usage && done.usage.prompt_tokens > 0 && done.usage.total_tokens === done.usage.prompt_tokens + done.usage.completion_tokens);
  }
});

test("streaming: deltas, finish reason, [DONE]; usage only with stream_options.include_usage", async () => {
  const plain = await openai.chat.completions.create({ model: "basalt.echo", stream: true, messages: [{ role: "user", content: "one two three" }] });
  let text = "";
  let finish: string | null = null;
  let sawUsage = false;
  for await (const chunk of plain) {
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) sawUsage = true;
  }
  assert.equal(text, "one two three");
  assert.equal(finish, "stop");
  assert.equal(sawUsage, false);

  const withUsage = await openai.chat.completions.create({ model: "basalt.echo", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "one two three" }] });
  const chunks = [];
  for await (const chunk of withUsage) chunks.push(chunk);
  const last = chunks.at(-1)!;
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage && last.usage.completion_tokens > 0);
});

test("tools against echo: a tool call with finish_reason tool_calls, then a tool message round trip", async () => {
  const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
  const done = await openai.chat.completions.create({ model: "basalt.echo", tools, messages: [{ role: "user", content: '/tool get_weather {"city":"Lyon"}' }] });
  assert.equal(done.choices[0].finish_reason, "tool_calls");
  const call = done.choices[0].message.tool_calls![0] as { id: string; function: { name: string; arguments: string } };
  assert.equal(call.function.name, "get_weather");
  assert.deepEqual(JSON.parse(call.function.arguments), { city: "Lyon" });
  const next = await openai.chat.completions.create({
    model: "basalt.echo", tools,
    messages: [
      { role: "user", content: '/tool get_weather {"city":"Lyon"}' },
      done.choices[0].message,
      { role: "tool", tool_call_id: call.id, content: "sunny" },
    ],
  });
  assert.equal(next.choices[0].finish_reason, "stop");
});

test("a function whose parameters are {} or leave the root type out is an object schema (Converse would refuse it bare)", async () => {
  const tools = [
    { type: "function" as const, function: { name: "ping", parameters: {} } },
    { type: "function" as const, function: { name: "get_weather", parameters: { properties: { city: { type: "string" } } } } },
  ];
  const done = await openai.chat.completions.create({ model: "basalt.echo", tools, messages: [{ role: "user", content: '/tool get_weather {"city":"Lyon"}' }] });
  assert.equal(done.choices[0].finish_reason, "tool_calls");
  const call = done.choices[0].message.tool_calls?.[0];
  assert.equal(call?.type === "function" ? call.function.name : undefined, "get_weather");
});

test("OpenAI door → anthropic provider: plain, streamed, parallel tool calls, json_schema, image data URL", async () => {
  upstream.enqueue({ json: message({ content: [textBlock("hi from claude")] }) });
  const done = await openai.chat.completions.create({ model: HAIKU, max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
  assert.equal(done.choices[0].message.content, "hi from claude");
  assert.equal(done.usage?.prompt_tokens, 25);

  upstream.enqueue({ sse: messageStream({ text: ["str", "eamed"] }) });
  let text = "";
  for await (const c of await openai.chat.completions.create({ model: HAIKU, max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] })) text += c.choices[0]?.delta.content ?? "";
  assert.equal(text, "streamed");

  upstream.enqueue({ json: message({ content: [toolUseBlock("toolu_a", "a", { x: 1 }), toolUseBlock("toolu_b", "b", { y: 2 })] }) });
  const fn = (name: string) => ({ type: "function" as const, function: { name, parameters: { type: "object" } } });
  const both = await openai.chat.completions.create({ model: HAIKU, max_tokens: 50, tools: [fn("a"), fn("b")], parallel_tool_calls: true, messages: [{ role: "user", content: "both" }] });
  assert.equal(both.choices[0].finish_reason, "tool_calls");
  assert.deepEqual(both.choices[0].message.tool_calls!.map((t) => { const f = (t as { id: string; function: { name: string; arguments: string } }); return [f.id, f.function.name, JSON.parse(f.function.arguments)]; }), [["toolu_a", "a", { x: 1 }], ["toolu_b", "b", { y: 2 }]]);
  const toolsSent = (upstream.requests.at(-1)!.body as { tools: { name: string }[]; parallel_tool_calls?: unknown });
  assert.deepEqual(toolsSent.tools.map((t) => t.name), ["a", "b"]);
  assert.equal(toolsSent.parallel_tool_calls, undefined);

  upstream.enqueue({ json: message({ content: [textBlock('{"city":"Lyon"}')] }) });
  const pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  const structured = await openai.chat.completions.create({
    model: HAIKU, max_tokens: 50,
    response_format: { type: "json_schema", json_schema: { name: "place", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
    messages: [{ role: "user", content: [{ type: "text", text: "where?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${pixel}` } }] }],
  });
  assert.deepEqual(JSON.parse(structured.choices[0].message.content!), { city: "Lyon" });
  const sent = upstream.requests.at(-1)!.body as { messages: { content: { type: string; source?: { media_type: string } }[] }[]; output_config?: unknown; response_format?: unknown };
  assert.equal(sent.response_format, undefined);
  assert.deepEqual(sent.output_config, { format: { type: "json_schema", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } });
  const image = sent.messages[0].content.find((b) => b.type === "image");
  assert.equal(image?.source?.media_type, "image/png");
});

test("file parts (PDFs and other documents) and input_audio reach the model as document and audio blocks; file_id is refused", async () => {
  const pdf = "data:application/pdf;base64,JVBERi0xLjQK";
  const chat = await openai.chat.completions.create({
    model: "basalt.echo",
    messages: [{ role: "user", content: [{ type: "text", text: "read" }, { type: "file", file: { filename: "Q3 report (final).pdf", file_data: pdf } }, { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }] }],
  });
  assert.equal(chat.choices[0].message.content, "read\n[document pdf 9 bytes]\n[audio wav 4 bytes]");
  const responses = await openai.responses.create({
    model: "basalt.echo",
    input: [{ role: "user", content: [{ type: "input_text", text: "read" }, { type: "input_file", filename: "notes.md", file_data: "data:text/markdown;base64,IyBoaQ==" }] }],
  });
  assert.equal(responses.output_text, "read\n[document md 4 bytes]");
  await assert.rejects(openai.chat.completions.create({ model: "basalt.echo", messages: [{ role: "user", content: [{ type: "text", text: "x" }, { type: "file", file: { file_id: "file-abc" } }] }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.match(err.message, /file_id: uploaded files are not available here/);
    return true;
  });
  await assert.rejects(openai.chat.completions.create({ model: "basalt.echo", messages: [{ role: "user", content: [{ type: "text", text: "x" }, { type: "file", file: { filename: "a.bin", file_data: "data:application/octet-stream;base64,AAAA" } }] }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.match(err.message, /unsupported file type application\/octet-stream/);
    return true;
  });
});

test("Responses: custom (free-form) and namespaced tools are offered as functions and answered as the items they were declared as", async () => {
  const tools = [
    { type: "custom", name: "apply_patch", description: "Edit files.", format: { type: "grammar", syntax: "lark", definition: "start: /.+/" } },
    { type: "namespace", name: "agents", description: "Sub-agents.", tools: [{ type: "function", name: "spawn", parameters: { type: "object", properties: { task: { type: "string" } } } }] },
    { type: "web_search" },
  ] as never;
  const patch = await openai.responses.create({ model: "basalt.echo", tools, input: [{ role: "user", content: '/tool apply_patch {"input":"*** Begin Patch"}' }] });
  const custom = patch.output.find((o) => o.type === "custom_tool_call");
  assert.ok(custom && custom.type === "custom_tool_call", JSON.stringify(patch.output));
  assert.equal(custom.name, "apply_patch");
  assert.equal(custom.input, "*** Begin Patch");
  // (echo refuses a /tool line naming a tool it was not offered: apply_patch reached the model as a function.)

  const spawn = await openai.responses.create({ model: "basalt.echo", tools, input: [{ role: "user", content: '/tool agents__spawn {"task":"lint"}' }] });
  const fn = spawn.output.find((o) => o.type === "function_call") as { name: string; namespace?: string; arguments: string } | undefined;
  assert.deepEqual([fn?.name, fn?.namespace, JSON.parse(fn?.arguments ?? "null")], ["spawn", "agents", { task: "lint" }]);

  // The next turn replays both (parallel) calls and their outputs (an output as content parts too).
  const next = await openai.responses.create({
    model: "basalt.echo", tools,
    input: [
      { role: "user", content: "go" },
      { type: "custom_tool_call", call_id: custom.call_id, name: "apply_patch", input: "*** Begin Patch" },
      { type: "function_call", call_id: "call_2", name: "spawn", namespace: "agents", arguments: '{"task":"lint"}' },
      { type: "custom_tool_call_output", call_id: custom.call_id, output: "Done!" },
      { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "agent started" }] },
    ] as never,
  });
  assert.equal(next.output_text, `toolResult ${custom.call_id} success: Done!\ntoolResult call_2 success: agent started`);

  const stream = await openai.responses.create({ model: "basalt.echo", tools, stream: true, input: [{ role: "user", content: '/tool apply_patch {"input":"*** Begin Patch"}' }] });
  const types: string[] = [];
  let done: { input?: string } | undefined;
  let item: { type?: string; input?: string } | undefined;
  for await (const e of stream) {
    types.push(e.type);
    if (e.type === "response.custom_tool_call_input.done") done = e;
    if (e.type === "response.output_item.done") item = e.item as typeof item;
  }
  assert.equal(done?.input, "*** Begin Patch");
  assert.deepEqual([item?.type, item?.input], ["custom_tool_call", "*** Begin Patch"]);
  assert.ok(!types.includes("response.function_call_arguments.delta"), types.join());

  // Codex in Bedrock mode: its functions arrive in an additional_tools input item, in the default namespace.
  const later = await openai.responses.create({
    model: "basalt.echo", tools: [{ type: "web_search" }] as never,
    input: [
      { type: "additional_tools", role: "developer", tools: [{ type: "namespace", name: "functions", description: "", tools: [{ type: "function", name: "exec_command", parameters: { type: "object", properties: { cmd: { type: "string" } } } }] }] },
      { role: "user", content: '/tool exec_command {"cmd":"ls"}' },
    ] as never,
  });
  const exec = later.output.find((o) => o.type === "function_call") as { name: string; namespace?: string; arguments: string } | undefined;
  assert.deepEqual([exec?.name, exec?.namespace, JSON.parse(exec?.arguments ?? "null")], ["exec_command", "functions", { cmd: "ls" }]);
});

test("usage counts every input token in prompt_tokens, cache reads reported as cached_tokens (Chat and Responses)", async () => {
  upstream.enqueue({ json: message({ content: [textBlock("cached")], usage: { input: 12, output: 3, cacheRead: 200, cacheWrite: 100 } }) });
  const done = await openai.chat.completions.create({ model: HAIKU, max_tokens: 20, messages: [{ role: "user", content: "hi" }] });
  assert.equal(done.usage?.prompt_tokens, 312);
  assert.equal(done.usage?.prompt_tokens_details?.cached_tokens, 200);
  assert.equal(done.usage?.total_tokens, 315);
  upstream.enqueue({ json: message({ content: [textBlock("cached")], usage: { input: 12, output: 3, cacheRead: 200 } }) });
  const answer = await openai.responses.create({ model: HAIKU, max_output_tokens: 20, input: "hi" });
  assert.equal(answer.usage?.input_tokens, 212);
  assert.equal(answer.usage?.input_tokens_details.cached_tokens, 200);
});

test("an upstream's own failure is a 500 server_error the SDK retries, not Bedrock's 424", async () => {
  const retrying = new OpenAI({ baseURL: `${basalt.url}/v1`, apiKey: "unused", maxRetries: 1 });
  const fail = { status: 500, json: { type: "error", error: { type: "api_error", message: "upstream fell over" } } };
  upstream.enqueue(fail, fail);
  const before = upstream.requests.length;
  await assert.rejects(retrying.chat.completions.create({ model: HAIKU, max_tokens: 20, messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.InternalServerError, String(err));
    assert.equal(err.status, 500);
    return true;
  });
  assert.equal(upstream.requests.length - before, 2, "the SDK retried once");
});

test("a model's reasoning comes apart in reasoning_content, never inside content (plain and streamed)", async () => {
  upstream.enqueue({ json: message({ content: [thinkingBlock("Let me think.", "sig-1"), textBlock("{\"answer\":42}")] }) });
  const done = await openai.chat.completions.create({ model: HAIKU, max_tokens: 50, messages: [{ role: "user", content: "think" }] });
  assert.equal(done.choices[0].message.content, '{"answer":42}');
  assert.equal((done.choices[0].message as { reasoning_content?: string }).reasoning_content, "Let me think.");

  upstream.enqueue({ sse: messageStream({ thinking: { pieces: ["Let me ", "think."], signature: "sig-2" }, text: ["Do", "ne."] }) });
  let content = "";
  let reasoning = "";
  for await (const c of await openai.chat.completions.create({ model: HAIKU, max_tokens: 50, stream: true, messages: [{ role: "user", content: "think" }] })) {
    content += c.choices[0]?.delta.content ?? "";
    reasoning += (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? "";
  }
  assert.equal(content, "Done.");
  assert.equal(reasoning, "Let me think.");
});

test("models list at /v1/models and /openai/v1/models", async () => {
  for (const c of [openai, prefixed]) {
    const ids: string[] = [];
    for await (const m of c.models.list()) ids.push(m.id);
    assert.deepEqual(ids, ["basalt.echo", HAIKU, LIMITED]);
  }
});

test("models.retrieve: a served id (percent-encoded by the SDK) as its model object; an unknown one is model_not_found", async () => {
  for (const c of [openai, prefixed]) {
    const model = await c.models.retrieve(HAIKU);
    assert.deepEqual({ id: model.id, object: model.object }, { id: HAIKU, object: "model" });
    assert.equal(model.owned_by, (await c.models.list()).data.find((m) => m.id === HAIKU)?.owned_by);
    await assert.rejects(c.models.retrieve("nobody.none-v1:0"), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError, String(err));
      assert.equal(err.code, "model_not_found");
      return true;
    });
  }
});

test("a history with tool calls is answered with tool_choice none, or with no tools sent at all (a final answer after the tools ran)", async () => {
  const history = [
    { role: "user" as const, content: "weather?" },
    { role: "assistant" as const, content: null, tool_calls: [{ id: "c1", type: "function" as const, function: { name: "get_weather", arguments: '{"city":"Lyon"}' } }] },
    { role: "tool" as const, tool_call_id: "c1", content: "sunny" },
  ];
  const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
  const none = await openai.chat.completions.create({ model: "basalt.echo", tool_choice: "none", tools, messages: history });
  assert.equal(none.choices[0].finish_reason, "stop");
  const noTools = await openai.chat.completions.create({ model: "basalt.echo", messages: history });
  assert.equal(noTools.choices[0].finish_reason, "stop");
  assert.match(noTools.choices[0].message.content ?? "", /sunny/);
});

test("tool mistakes OpenAI refuses: a tool_choice without tools, a function name outside its pattern", async () => {
  const refused = (body: Record<string, unknown>, message: RegExp) =>
    assert.rejects(openai.chat.completions.create({ model: "basalt.echo", messages: [{ role: "user", content: "x" }], ...body } as never), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError, String(err));
      assert.match(err.message, message);
      return true;
    });
  await refused({ tool_choice: "required" }, /'tool_choice' is only allowed when 'tools' are specified/);
  await refused({ tools: [{ type: "function", function: { name: "bad name!", parameters: { type: "object" } } }] },
    /Invalid 'tools\[0\]\.function\.name': string does not match pattern/);
  // tool_choice "none" without tools is accepted, as OpenAI accepts it.
  const none = await openai.chat.completions.create({ model: "basalt.echo", tool_choice: "none", messages: [{ role: "user", content: "fine" }] });
  assert.equal(none.choices[0].message.content, "fine");
});

test("a conversation without a user turn of its own is answered, as OpenAI answers it; an empty list is refused", async () => {
  const systemOnly = await openai.chat.completions.create({ model: "basalt.echo", messages: [{ role: "system", content: "Greet the user." }] });
  assert.equal(systemOnly.choices[0].finish_reason, "stop");
  const assistantFirst = await openai.chat.completions.create({
    model: "basalt.echo", messages: [{ role: "assistant", content: "How can I help?" }, { role: "user", content: "with this" }],
  });
  assert.equal(assistantFirst.choices[0].message.content, "with this");
  await assert.rejects(openai.chat.completions.create({ model: "basalt.echo", messages: [] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.match(err.message, /too short - 'messages'/);
    return true;
  });
});

test("errors in OpenAI's shape: unknown model 404, invalid request 400; previous_response_id is refused", async () => {
  await assert.rejects(openai.chat.completions.create({ model: "nobody.none", messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.NotFoundError);
    assert.equal(err.code, "model_not_found");
    return true;
  });
  await assert.rejects(openai.chat.completions.create({ model: "basalt.echo", messages: [] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.type, "invalid_request_error");
    return true;
  });
  await assert.rejects(openai.responses.create({ model: "basalt.echo", input: "hi", previous_response_id: "resp_1" }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.match(err.message, /stateless/);
    return true;
  });
});

test("responses: plain text, instructions, tools, and streaming, at /v1 and /openai/v1", async () => {
  for (const c of [openai, prefixed]) {
    const r = await c.responses.create({ model: "basalt.echo", instructions: "be brief", input: "Hello responses", store: false });
    assert.equal(r.object, "response");
    assert.equal(r.status, "completed");
    assert.equal(r.output_text, "Hello responses");
    assert.ok(r.usage && r.usage.input_tokens > 0 && r.usage.output_tokens > 0);
  }
  const tools = [{ type: "function" as const, name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: false }];
  const called = await openai.responses.create({ model: "basalt.echo", tools, input: [{ role: "user", content: '/tool get_weather {"city":"Lyon"}' }] });
  const call = called.output.find((o) => o.type === "function_call");
  assert.ok(call && call.type === "function_call");
  assert.equal(call.name, "get_weather");
  assert.deepEqual(JSON.parse(call.arguments), { city: "Lyon" });
  const after = await openai.responses.create({
    model: "basalt.echo", tools,
    input: [
      { role: "user", content: '/tool get_weather {"city":"Lyon"}' },
      { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
      { type: "function_call_output", call_id: call.call_id, output: "sunny" },
      { role: "user", content: "thanks" },
    ],
  });
  assert.match(after.output_text, /thanks/);

  const stream = await openai.responses.create({ model: "basalt.echo", input: "one two three", stream: true });
  const types: string[] = [];
  let text = "";
  let completed: { status?: string } | undefined;
  for await (const e of stream) {
    types.push(e.type);
    if (e.type === "response.output_text.delta") text += e.delta;
    if (e.type === "response.completed") completed = e.response;
  }
  assert.equal(text, "one two three");
  assert.equal(types[0], "response.created");
  assert.equal(types.at(-1), "response.completed");
  assert.equal(completed?.status, "completed");

  const helper = openai.responses.stream({ model: "basalt.echo", input: "via the helper" });
  const final = await helper.finalResponse();
  assert.equal(final.output_text, "via the helper");
});

test("one quota applies through every door: Converse, OpenAI and Anthropic share requestsPerMinute", async () => {
  const runtime = h1Client(basalt.url);
  try {
    await runtime.send(new ConverseCommand({ modelId: LIMITED, messages: [{ role: "user", content: [{ text: "one" }] }] }));
    await openai.chat.completions.create({ model: LIMITED, messages: [{ role: "user", content: "two" }] });
    const anthropic = new Anthropic({ baseURL: basalt.url, apiKey: "unused", maxRetries: 0 });
    await assert.rejects(anthropic.messages.create({ model: LIMITED, max_tokens: 10, messages: [{ role: "user", content: "three" }] }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.RateLimitError);
      return true;
    });
    await assert.rejects(openai.chat.completions.create({ model: LIMITED, messages: [{ role: "user", content: "four" }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.RateLimitError);
      return true;
    });
    // Streamed, the refusal is still the HTTP status (what makes an SDK retry it), not an event inside a 200.
    const isRateLimit = (err: unknown) => {
      assert.ok(err instanceof OpenAI.RateLimitError, String(err));
      assert.equal(err.status, 429);
      return true;
    };
    await assert.rejects(async () => {
      for await (const _ of await openai.chat.completions.create({ model: LIMITED, stream: true, messages: [{ role: "user", content: "five" }] }));
    }, isRateLimit);
    await assert.rejects(async () => {
      for await (const _ of await openai.responses.create({ model: LIMITED, stream: true, input: "six" }));
    }, isRateLimit);
    await assert.rejects(anthropic.messages.stream({ model: LIMITED, max_tokens: 10, messages: [{ role: "user", content: "seven" }] }).finalMessage(), (err: unknown) => {
      assert.ok(err instanceof Anthropic.RateLimitError, String(err));
      return true;
    });
  } finally {
    runtime.destroy();
  }
  const usage = (await (await fetch(`${basalt.url}/_basalt/usage?groupBy=frontDoor`)).json()) as { frontDoor: string; requests: number }[];
  const doors = usage.map((r) => r.frontDoor);
  for (const door of ["bedrock", "openai", "anthropic"]) assert.ok(doors.includes(door), JSON.stringify(usage));
});

test("responses: the response repeats the request's parameters; an answer cut by max_output_tokens is incomplete, its message too", async () => {
  const tools = [{ type: "function" as const, name: "lookup", strict: false, parameters: { type: "object", properties: {} } }];
  const long = "one two three four five six seven eight nine ten";
  for (const stream of [false, true]) {
    const params = { model: "basalt.echo", instructions: "be terse", max_output_tokens: 3, temperature: 0.5, tools, input: long };
    const answer = stream ? await openai.responses.stream(params).finalResponse() : await openai.responses.create(params);
    assert.equal(answer.instructions, "be terse");
    assert.equal(answer.max_output_tokens, 3);
    assert.equal(answer.temperature, 0.5);
    assert.deepEqual(answer.tools.map((t) => (t.type === "function" ? t.name : t.type)), ["lookup"]);
    assert.equal(answer.status, "incomplete");
    assert.equal(answer.incomplete_details?.reason, "max_output_tokens");
    const message = answer.output.find((o) => o.type === "message");
    assert.equal(message?.type === "message" ? message.status : undefined, "incomplete", `stream: ${stream}`);
  }
});

test("responses: a stream failing mid-way ends with the API's typed error event", async () => {
  const res = await fetch(`${basalt.url}/v1/responses`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "basalt.echo", stream: true, input: "/error-after 3 ThrottlingException slow down" }),
  });
  assert.equal(res.status, 200);
  const events = (await res.text()).split("\n\n").filter(Boolean);
  const last = events.at(-1)!;
  assert.match(last, /^event: error\n/);
  const data = JSON.parse(last.slice(last.indexOf("data: ") + 6)) as { type: string; code: string; message: string; sequence_number: number };
  assert.equal(data.type, "error");
  assert.equal(data.code, "rate_limit_exceeded");
  assert.equal(data.message, "slow down");
  const previous = JSON.parse(events.at(-2)!.slice(events.at(-2)!.indexOf("data: ") + 6)) as { sequence_number: number };
  assert.equal(data.sequence_number, previous.sequence_number + 1);
  // The SDK hands the event on as the API's own `error` event (it raises only for a bare `{ "error": … }`).
  const types: string[] = [];
  for await (const e of await openai.responses.create({ model: "basalt.echo", stream: true, input: "/error-after 3 ThrottlingException slow down" })) types.push(e.type);
  assert.equal(types.at(-1), "error");
});

test("responses: an agent's request (Codex-style) with earlier reasoning items and a hosted tool is served", async () => {
  const answer = await openai.responses.create({
    model: "basalt.echo",
    instructions: "You are a coding agent",
    store: false,
    include: ["reasoning.encrypted_content"],
    input: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "list the files" }] },
      { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "opaque-to-anyone-but-its-model" },
      { type: "function_call", call_id: "call_1", name: "shell", arguments: "{\"command\":[\"ls\"]}" },
      { type: "function_call_output", call_id: "call_1", output: "README.md" },
      { type: "message", role: "user", content: [{ type: "input_text", text: "thanks" }] },
    ],
    tools: [
      { type: "function", name: "shell", description: "runs a command", strict: false, parameters: { type: "object", properties: { command: { type: "array", items: { type: "string" } } } } },
      { type: "web_search" },
    ],
  });
  assert.equal(answer.status, "completed");
  // Echo repeats the last user turn: the tool's output and the text after it (one user message in Converse).
  assert.equal(answer.output_text, "toolResult call_1 success: README.md\nthanks");
});
