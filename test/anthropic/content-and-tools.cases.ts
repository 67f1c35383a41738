// Content blocks both ways: images, documents, video refusals, tools and tool results, cache points,
// reasoning (thinking and redacted thinking) — checked on the upstream request and on the SDK's answer.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand, type ContentBlock, type ConverseCommandInput, type Message } from "@aws-sdk/client-bedrock-runtime";
import { message, redactedThinkingBlock, textBlock, thinkingBlock, toolUseBlock } from "../fakes/anthropic-upstream.js";
import { MODEL_ID, b64, errorOf, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const converse = (input: Partial<ConverseCommandInput>) =>
  stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [], ...input }));
const ask = (content: ContentBlock[], extra: Partial<ConverseCommandInput> = {}) => converse({ messages: [{ role: "user", content }], ...extra });
const ok = () => stack.upstream.enqueue({ json: message({ content: [textBlock("ok")] }) });

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const PDF = new TextEncoder().encode("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n");

test("images become base64 image sources", async () => {
  ok();
  await ask([{ text: "What is this?" }, { image: { format: "png", source: { bytes: PNG } } }, { image: { format: "jpeg", source: { bytes: PNG } } }]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual((body.messages as { content: unknown[] }[])[0].content, [
    { type: "text", text: "What is this?" },
    { type: "image", source: { type: "base64", media_type: "image/png", data: b64(PNG) } },
    { type: "image", source: { type: "base64", media_type: "image/jpeg", data: b64(PNG) } },
  ]);
});

test("documents: pdf natively, txt/md/csv/html as text documents, with title and context", async () => {
  ok();
  await ask([
    { text: "Summarise" },
    { document: { format: "pdf", name: "report", source: { bytes: PDF } } },
    { document: { format: "md", name: "notes", source: { bytes: new TextEncoder().encode("# Notes\n- one") } } },
    { document: { format: "csv", name: "table", source: { text: "a,b\n1,2" }, context: "Sales figures" } },
    { document: { format: "html", name: "page", source: { bytes: new TextEncoder().encode("<p>hi</p>") } } },
    { document: { format: "txt", name: "plain", source: { bytes: new TextEncoder().encode("héllo") } } },
  ]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual((body.messages as { content: unknown[] }[])[0].content.slice(1), [
    { type: "document", source: { type: "base64", media_type: "application/pdf", data: b64(PDF) }, title: "report" },
    { type: "document", source: { type: "text", media_type: "text/plain", data: "# Notes\n- one" }, title: "notes" },
    { type: "document", source: { type: "text", media_type: "text/plain", data: "a,b\n1,2" }, title: "table", context: "Sales figures" },
    { type: "document", source: { type: "text", media_type: "text/plain", data: "<p>hi</p>" }, title: "page" },
    { type: "document", source: { type: "text", media_type: "text/plain", data: "héllo" }, title: "plain" },
  ]);
});

test("other document formats and video are refused naming the model and format; nothing goes upstream", async () => {
  const before = stack.upstream.requests.length;
  const docx = await errorOf(ask([{ text: "x" }, { document: { format: "docx", name: "memo", source: { bytes: PDF } } }]));
  assert.equal(docx.name, "ValidationException");
  assert.equal(docx.$metadata?.httpStatusCode, 400);
  assert.equal(docx.message, `The model ${MODEL_ID} doesn't support documents in docx format. Use pdf, txt, md, csv or html, or remove document and try again.`);
  const video = await errorOf(ask([{ text: "x" }, { video: { format: "mp4", source: { bytes: PNG } } }]));
  assert.equal(video.name, "ValidationException");
  assert.equal(video.message, `The model ${MODEL_ID} doesn't support the video field for user messages. Remove video and try again.`);
  assert.equal(stack.upstream.requests.length, before);
});

const weatherTool = { toolSpec: { name: "get_weather", description: "Current weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } } };
const timeTool = { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: {} } } } };

test("tools and each toolChoice become Anthropic tool definitions and tool_choice", async () => {
  const choices = [
    [{ auto: {} }, { type: "auto" }],
    [{ any: {} }, { type: "any" }],
    [{ tool: { name: "get_time" } }, { type: "tool", name: "get_time" }],
  ] as const;
  for (const [toolChoice, expected] of choices) {
    ok();
    await ask([{ text: "Weather?" }], { toolConfig: { tools: [weatherTool, timeTool], toolChoice } });
    const { body } = await stack.upstream.nextRequest();
    assert.deepEqual(body.tools, [
      { name: "get_weather", description: "Current weather", input_schema: weatherTool.toolSpec.inputSchema.json },
      { name: "get_time", input_schema: { type: "object", properties: {} } },
    ]);
    assert.deepEqual(body.tool_choice, expected);
  }
});

test("several tool calls in one turn come back as toolUse blocks; the results go back as tool_result blocks", async () => {
  stack.upstream.enqueue({
    json: message({
      content: [textBlock("Checking both."), toolUseBlock("toolu_01A", "get_weather", { city: "Paris" }), toolUseBlock("toolu_01B", "get_time", {})],
      usage: { input: 300, output: 90 },
    }),
  });
  const first = await ask([{ text: "Weather and time in Paris?" }], { toolConfig: { tools: [weatherTool, timeTool] } });
  assert.equal(first.stopReason, "tool_use");
  assert.deepEqual(first.output?.message?.content, [
    { text: "Checking both." },
    { toolUse: { toolUseId: "toolu_01A", name: "get_weather", input: { city: "Paris" } } },
    { toolUse: { toolUseId: "toolu_01B", name: "get_time", input: {} } },
  ]);
  await stack.upstream.nextRequest();

  ok();
  const history: Message[] = [
    { role: "user", content: [{ text: "Weather and time in Paris?" }] },
    first.output!.message!,
    {
      role: "user",
      content: [
        { text: "Here you go." },
        { toolResult: { toolUseId: "toolu_01A", content: [{ json: { tempC: 21, sky: "clear" } }, { text: "source: met" }, { image: { format: "png", source: { bytes: PNG } } }] } },
        { toolResult: { toolUseId: "toolu_01B", status: "error", content: [{ text: "clock unavailable" }] } },
      ],
    },
  ];
  await converse({ messages: history, toolConfig: { tools: [weatherTool, timeTool] } });
  const { body } = await stack.upstream.nextRequest();
  const messages = body.messages as { role: string; content: unknown[] }[];
  assert.deepEqual(messages[1], {
    role: "assistant",
    content: [
      { type: "text", text: "Checking both." },
      { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "toolu_01B", name: "get_time", input: {} },
    ],
  });
  // Tool results lead the turn, as the Messages API requires.
  assert.deepEqual(messages[2], {
    role: "user",
    content: [
      {
        type: "tool_result", tool_use_id: "toolu_01A",
        content: [
          { type: "text", text: '{"tempC":21,"sky":"clear"}' },
          { type: "text", text: "source: met" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: b64(PNG) } },
        ],
      },
      { type: "tool_result", tool_use_id: "toolu_01B", content: [{ type: "text", text: "clock unavailable" }], is_error: true },
      { type: "text", text: "Here you go." },
    ],
  });
});

test("tool results carrying documents go up as documents; video in a tool result is refused", async () => {
  ok();
  await converse({
    messages: [
      { role: "user", content: [{ text: "Read it" }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "toolu_01D", name: "fetch_doc", input: { id: 7 } } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "toolu_01D", content: [{ document: { format: "pdf", name: "spec", source: { bytes: PDF } } }, { document: { format: "txt", name: "log", source: { bytes: new TextEncoder().encode("line 1") } } }] } }] },
    ],
    toolConfig: { tools: [{ toolSpec: { name: "fetch_doc", inputSchema: { json: { type: "object" } } } }] },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual((body.messages as { content: unknown[] }[])[2].content, [{
    type: "tool_result", tool_use_id: "toolu_01D",
    content: [
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: b64(PDF) }, title: "spec" },
      { type: "document", source: { type: "text", media_type: "text/plain", data: "line 1" }, title: "log" },
    ],
  }]);

  const before = stack.upstream.requests.length;
  const err = await errorOf(converse({
    messages: [
      { role: "user", content: [{ text: "Watch it" }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "toolu_01V", name: "fetch_doc", input: {} } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "toolu_01V", content: [{ video: { format: "mp4", source: { bytes: PNG } } }] } }] },
    ],
    toolConfig: { tools: [{ toolSpec: { name: "fetch_doc", inputSchema: { json: { type: "object" } } } }] },
  }));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.message, `The model ${MODEL_ID} doesn't support the video field in tool results. Remove video and try again.`);
  assert.equal(stack.upstream.requests.length, before, "nothing reached the upstream");
});

test("cachePoint marks the block before it with cache_control, in system, messages and tools", async () => {
  ok();
  await converse({
    system: [{ text: "Long instructions" }, { cachePoint: { type: "default" } }, { text: "Short tail" }],
    messages: [{ role: "user", content: [{ text: "Big context" }, { cachePoint: { type: "default", ttl: "1h" } }, { text: "Question" }] }],
    toolConfig: { tools: [weatherTool, timeTool, { cachePoint: { type: "default" } }] },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.system, [
    { type: "text", text: "Long instructions", cache_control: { type: "ephemeral" } },
    { type: "text", text: "Short tail" },
  ]);
  assert.deepEqual((body.messages as { content: unknown[] }[])[0].content, [
    { type: "text", text: "Big context", cache_control: { type: "ephemeral", ttl: "1h" } },
    { type: "text", text: "Question" },
  ]);
  const tools = body.tools as Record<string, unknown>[];
  assert.equal(tools[0].cache_control, undefined);
  assert.deepEqual(tools[1].cache_control, { type: "ephemeral" });
});

test("a cachePoint with nothing before it is refused as Bedrock refuses it", async () => {
  const err = await errorOf(converse({ system: [{ cachePoint: { type: "default" } }, { text: "x" }], messages: [{ role: "user", content: [{ text: "Hi" }] }] }));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.message, "There is nothing available to cache. Please remove the invalid cache point and try again.");
});

test("reasoning: thinking is enabled as on Bedrock; thinking and redacted thinking come back and go back upstream", async () => {
  const SIG = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
  const REDACTED = b64("opaque-redacted-thinking-payload");
  stack.upstream.enqueue({
    json: message({ content: [thinkingBlock("Let me think: 2+2=4.", SIG), redactedThinkingBlock(REDACTED), textBlock("4")], usage: { input: 40, output: 120 } }),
  });
  const thinking = { type: "enabled", budget_tokens: 2048 };
  const first = await ask([{ text: "2+2?" }], { additionalModelRequestFields: { thinking } });
  const req = await stack.upstream.nextRequest();
  assert.deepEqual(req.body.thinking, thinking);
  assert.equal(req.body.max_tokens, 2048 + 4096, "max_tokens leaves room above the thinking budget");
  const content = first.output!.message!.content!;
  assert.deepEqual(content[0], { reasoningContent: { reasoningText: { text: "Let me think: 2+2=4.", signature: SIG } } });
  assert.equal(Buffer.from(content[1].reasoningContent!.redactedContent!).toString("utf8"), "opaque-redacted-thinking-payload");
  assert.deepEqual(content[2], { text: "4" });

  ok();
  await converse({
    messages: [{ role: "user", content: [{ text: "2+2?" }] }, first.output!.message!, { role: "user", content: [{ text: "And 3+3?" }] }],
    additionalModelRequestFields: { thinking },
    inferenceConfig: { maxTokens: 5000 },
  });
  const { body } = await stack.upstream.nextRequest();
  assert.equal(body.max_tokens, 5000);
  assert.deepEqual((body.messages as { content: unknown[] }[])[1].content, [
    { type: "thinking", thinking: "Let me think: 2+2=4.", signature: SIG },
    { type: "redacted_thinking", data: REDACTED },
    { type: "text", text: "4" },
  ]);
});
