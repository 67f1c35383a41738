// Images, documents, video, audio, and tools both ways (definitions, choice, calls, results).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConverseCommand, type Message, type Tool } from "@aws-sdk/client-bedrock-runtime";
import { completion } from "../fakes/openai-upstream.js";
import { MODEL_ID, errorOf, startStack, type Stack } from "./harness.js";

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.close());

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const weatherTool: Tool = {
  toolSpec: {
    name: "get_weather",
    description: "Current weather for a city",
    inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
};
const timeTool: Tool = { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: {} } } } };

async function converse(messages: Message[], extra: Record<string, unknown> = {}) {
  return stack.client.send(new ConverseCommand({ modelId: MODEL_ID, messages, ...extra }));
}

test("images travel as data URIs next to the text", async () => {
  stack.upstream.enqueue({ json: completion({ content: "A tiny image." }) });
  await converse([{ role: "user", content: [{ text: "What is this?" }, { image: { format: "png", source: { bytes: PNG } } }] }]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [{
    role: "user",
    content: [
      { type: "text", text: "What is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
    ],
  }]);
});

test("txt, md, csv and html documents are sent as text, from bytes or from text", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Summary." }) });
  await converse([{
    role: "user",
    content: [
      { document: { format: "md", name: "notes", source: { bytes: Buffer.from("# Title\nbody") } } },
      { document: { format: "csv", name: "table", source: { text: "a,b\n1,2" } } },
      { text: "Summarise." },
    ],
  }]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [{
    role: "user",
    content: [
      { type: "text", text: '<document name="notes" format="md">\n# Title\nbody\n</document>' },
      { type: "text", text: '<document name="table" format="csv">\na,b\n1,2\n</document>' },
      { type: "text", text: "Summarise." },
    ],
  }]);
});

test("a pdf document is refused naming the model and the format, without calling the upstream", async () => {
  const before = stack.upstream.requests.length;
  const err = await errorOf(converse([{
    role: "user",
    content: [{ text: "Read" }, { document: { format: "pdf", name: "report", source: { bytes: Buffer.from("%PDF-1.7") } } }],
  }]));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(err.message, `The model ${MODEL_ID} doesn't support documents in pdf format. Use txt, md, csv or html, or remove document and try again.`);
  assert.equal(stack.upstream.requests.length, before);
});

test("video is refused the way Bedrock refuses an unsupported modality", async () => {
  const err = await errorOf(converse([{
    role: "user",
    content: [{ text: "Watch" }, { video: { format: "mp4", source: { bytes: Buffer.from("fake-mp4") } } }],
  }]));
  assert.equal(err.name, "ValidationException");
  assert.equal(err.message, `The model ${MODEL_ID} doesn't support the video field for user messages. Remove video and try again.`);
});

test("wav audio becomes an input_audio part; other audio formats are refused", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Heard it." }) });
  await converse([{ role: "user", content: [{ text: "Listen" }, { audio: { format: "wav", source: { bytes: Buffer.from("RIFF") } } }] }]);
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual((body.messages as { content: unknown[] }[])[0].content[1], { type: "input_audio", input_audio: { data: Buffer.from("RIFF").toString("base64"), format: "wav" } });

  const err = await errorOf(converse([{ role: "user", content: [{ text: "Listen" }, { audio: { format: "flac", source: { bytes: Buffer.from("fLaC") } } }] }]));
  assert.equal(err.name, "ValidationException");
  assert.match(err.message, /doesn't support audio in flac format/);
});

test("toolSpec becomes a function tool; toolChoice auto/any/tool map to auto/required/function", async () => {
  const choices = [
    [{ auto: {} }, "auto"],
    [{ any: {} }, "required"],
    [{ tool: { name: "get_weather" } }, { type: "function", function: { name: "get_weather" } }],
  ] as const;
  for (const [toolChoice, expected] of choices) {
    stack.upstream.enqueue({ json: completion({ content: "ok" }) });
    await converse([{ role: "user", content: [{ text: "Weather in Paris?" }] }], { toolConfig: { tools: [weatherTool, timeTool], toolChoice } });
    const { body } = await stack.upstream.nextRequest();
    assert.deepEqual(body.tools, [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Current weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
      { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } },
    ]);
    assert.deepEqual(body.tool_choice, expected);
  }
});

test("several tool calls in one reply become toolUse blocks with parsed input", async () => {
  stack.upstream.enqueue({
    json: completion({
      content: null,
      toolCalls: [
        { id: "call_Aa1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { id: "call_Bb2", name: "get_time", arguments: "{}" },
      ],
      usage: { prompt: 80, completion: 30 },
    }),
  });
  const out = await converse([{ role: "user", content: [{ text: "Weather and time?" }] }], { toolConfig: { tools: [weatherTool, timeTool] } });
  assert.equal(out.stopReason, "tool_use");
  assert.deepEqual(out.output?.message?.content, [
    { toolUse: { toolUseId: "call_Aa1", name: "get_weather", input: { city: "Paris" } } },
    { toolUse: { toolUseId: "call_Bb2", name: "get_time", input: {} } },
  ]);
  await stack.upstream.nextRequest();
});

test("tool arguments that are not JSON give stopReason malformed_tool_use", async () => {
  stack.upstream.enqueue({ json: completion({ toolCalls: [{ id: "call_X", name: "get_weather", arguments: '{"city": Par' }] }) });
  const out = await converse([{ role: "user", content: [{ text: "Weather?" }] }], { toolConfig: { tools: [weatherTool] } });
  assert.equal(out.stopReason, "malformed_tool_use");
  await stack.upstream.nextRequest();
});

test("toolUse history and toolResult (text, json, image, error status) become tool_calls and tool messages", async () => {
  stack.upstream.enqueue({ json: completion({ content: "Paris is sunny; the clock failed." }) });
  await converse([
    { role: "user", content: [{ text: "Weather and time in Paris?" }] },
    {
      role: "assistant",
      content: [
        { text: "Let me check." },
        { toolUse: { toolUseId: "call_Aa1", name: "get_weather", input: { city: "Paris" } } },
        { toolUse: { toolUseId: "call_Bb2", name: "get_time", input: {} } },
      ],
    },
    {
      role: "user",
      content: [
        { toolResult: { toolUseId: "call_Aa1", content: [{ json: { temp: 21, sky: "sunny" } }, { text: "Source: met office" }, { image: { format: "png", source: { bytes: PNG } } }] } },
        { toolResult: { toolUseId: "call_Bb2", status: "error", content: [{ text: "clock unavailable" }] } },
        { text: "Answer briefly." },
      ],
    },
  ], { toolConfig: { tools: [weatherTool, timeTool] } });
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.messages, [
    { role: "user", content: "Weather and time in Paris?" },
    {
      role: "assistant",
      content: "Let me check.",
      tool_calls: [
        { id: "call_Aa1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_Bb2", type: "function", function: { name: "get_time", arguments: "{}" } },
      ],
    },
    { role: "tool", tool_call_id: "call_Aa1", content: '{"temp":21,"sky":"sunny"}\nSource: met office' },
    { role: "tool", tool_call_id: "call_Bb2", content: "Error: clock unavailable" },
    // Tool messages carry text only: the image a tool returned follows in the user turn.
    {
      role: "user",
      content: [
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
        { type: "text", text: "Answer briefly." },
      ],
    },
  ]);
});

test("an assistant turn with only tool calls sends content null", async () => {
  stack.upstream.enqueue({ json: completion({ content: "done" }) });
  await converse([
    { role: "user", content: [{ text: "Time?" }] },
    { role: "assistant", content: [{ toolUse: { toolUseId: "call_T", name: "get_time", input: {} } }] },
    { role: "user", content: [{ toolResult: { toolUseId: "call_T", content: [{ text: "12:00" }] } }] },
  ], { toolConfig: { tools: [timeTool] } });
  const { body } = await stack.upstream.nextRequest();
  const messages = body.messages as Record<string, unknown>[];
  assert.equal(messages[1].content, null);
  assert.equal(messages.length, 3);
  assert.deepEqual(messages[2], { role: "tool", tool_call_id: "call_T", content: "12:00" });
});

test("structured output (outputConfig.textFormat) goes upstream as response_format json_schema", async () => {
  stack.upstream.enqueue({ json: completion({ content: '{"city":"Lyon"}' }) });
  const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
  const out = await converse([{ role: "user", content: [{ text: "Where?" }] }], {
    outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(schema), name: "place", description: "A city" } } } },
  });
  assert.equal(out.output?.message?.content?.[0].text, '{"city":"Lyon"}');
  const { body } = await stack.upstream.nextRequest();
  assert.deepEqual(body.response_format, { type: "json_schema", json_schema: { name: "place", schema, description: "A city" } });
});
