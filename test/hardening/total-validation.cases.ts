// Issue 21, item 1: client input that used to pass validation and crash later (a 500) is a typed 400 on both
// transports: null union members beside unknown keys, unions holding only unknown keys, native InvokeModel
// bodies with wrong types inside (checked before any backend sees them), and JSON nested thousands of levels
// deep inside documents.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CountTokensCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand, ValidationException, type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import type { Basalt } from "../../src/app.js";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startOpenAIUpstream, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import { ECHO_FAMILIES_YAML, FAMILY_IDS, startInProcess } from "./harness.js";
import { RAW_TRANSPORTS, messageOf } from "./raw-http.js";

let basalt: Basalt;
let upstream: FakeOpenAIUpstream;
let clients: [string, BedrockRuntimeClient][];

const OPENAI_NOVA = "amazon.nova-pro-v1:0";
const OPENAI_CLAUDE = "anthropic.claude-sonnet-4-20250514-v1:0";

before(async () => {
  upstream = await startOpenAIUpstream();
  basalt = await startInProcess(`
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: sk-test-key-for-validation }
${ECHO_FAMILIES_YAML}  - { id: "${OPENAI_NOVA}", provider: local, model: gpt-4o-mini }
  - { id: "${OPENAI_CLAUDE}", provider: local, model: gpt-4o-mini }
`);
  clients = [["HTTP/2", h2Client(basalt.url)], ["HTTP/1.1", h1Client(basalt.url)]];
});
after(async () => {
  for (const [, c] of clients) c.destroy();
  await basalt.stop();
  await upstream.close();
});

/** A JSON value nested `depth` objects deep: {"a":{"a":…1…}}. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const nestedArrays = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

const USER_HI = '{"role":"user","content":[{"text":"hi"}]}';
const TOOLS = '{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}';
const converse = (messages: string, extra = "") => `{"messages":[${messages}]${extra}}`;
const withBlock = (block: string) => converse(`{"role":"user","content":[${block}]}`);

// [case, path suffix (converse | count-tokens), body]
const CONVERSE_400: [string, string, string][] = [
  ["text null beside an unknown key", "converse", withBlock('{"text":null,"x":1}')],
  ["a content block with only an unknown key", "converse", withBlock('{"x":1}')],
  ["guardContent holding only an unknown key", "converse", withBlock('{"text":"hi"},{"guardContent":{"x":1}}')],
  ["guardContent text null beside an unknown key", "converse", withBlock('{"text":"hi"},{"guardContent":{"text":null,"x":1}}')],
  ["an image block whose source is only an unknown key", "converse", withBlock('{"text":"hi"},{"image":{"format":"png","source":{"x":1}}}')],
  ["a null content block", "converse", withBlock("null")],
  ["a null message", "converse", converse("null")],
  ["role null", "converse", converse('{"role":null,"content":[{"text":"hi"}]}')],
  ["system text null beside an unknown key", "converse", converse(USER_HI, ',"system":[{"text":null,"x":1}]')],
  ["system block with only an unknown key", "converse", converse(USER_HI, ',"system":[{"x":1}]')],
  ["toolSpec null beside an unknown key", "converse", converse(USER_HI, ',"toolConfig":{"tools":[{"toolSpec":null,"x":1}]}')],
  ["a tool with only an unknown key", "converse", converse(USER_HI, ',"toolConfig":{"tools":[{"x":1}]}')],
  ["inputSchema json null beside an unknown key", "converse",
    converse(USER_HI, ',"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":null,"x":1}}}]}')],
  ["toolChoice tool null beside an unknown key", "converse",
    converse(USER_HI, `,"toolConfig":${TOOLS.slice(0, -1)},"toolChoice":{"tool":null,"x":1}}`)],
  ["toolChoice with only an unknown key", "converse", converse(USER_HI, `,"toolConfig":${TOOLS.slice(0, -1)},"toolChoice":{"x":{}}}`)],
  ["toolResult content text null beside an unknown key", "converse", converse(
    `${USER_HI},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},` +
    '{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":null,"x":1}]}}]}', `,"toolConfig":${TOOLS}`)],
  ["reasoningContent with only an unknown key", "converse",
    converse(`${USER_HI},{"role":"assistant","content":[{"reasoningContent":{"x":1}},{"text":"ok"}]},${USER_HI}`)],
  ["CountTokens input converse null beside an unknown key", "count-tokens", '{"input":{"converse":null,"x":1}}'],
  ["CountTokens input with only an unknown key", "count-tokens", '{"input":{"x":1}}'],
  ["CountTokens invokeModel body null beside an unknown key", "count-tokens", '{"input":{"invokeModel":null,"x":1}}'],
  ["CountTokens converse text null beside an unknown key", "count-tokens", `{"input":{"converse":${withBlock('{"text":null,"x":1}')}}}`],
  // JSON nested thousands of levels inside documents (top-level nesting was always refused).
  ["toolUse input nested 10,000 levels", "converse", converse(
    `${USER_HI},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":${nested(10_000)}}}]},` +
    '{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"r"}]}}]}', `,"toolConfig":${TOOLS}`)],
  ["toolResult json nested 5,000 levels", "converse", converse(
    `${USER_HI},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},` +
    `{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":${nested(5_000)}}]}}]}`, `,"toolConfig":${TOOLS}`)],
  ["tool schema nested 10,000 levels", "converse",
    converse(USER_HI, `,"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object","properties":${nested(10_000)}}}}}]}`)],
  ["additionalModelRequestFields nested 10,000 arrays", "converse", converse(USER_HI, `,"additionalModelRequestFields":{"a":${nestedArrays(10_000)}}`)],
  ["a whole body nested 100,000 levels in an unknown key", "converse", converse(USER_HI, `,"x":${nestedArrays(100_000)}`)],
];

// A null where the model wants a structure fails in the front end's JSON reader, before validation: Coral answers
// SerializationException "NULL_VALUE can not be converted to a Structure" (test/fidelity covers the wording).
const SERIALIZATION = new Set(["a null content block", "a null message"]);

describe("Converse and CountTokens: malformed shapes are a ValidationException, never a 500", () => {
  for (const [name, fn] of RAW_TRANSPORTS) {
    test(`${name}`, async () => {
      const wrong: string[] = [];
      for (const [label, op, body] of CONVERSE_400) {
        const a = await fn(basalt.url, { path: `/model/basalt.echo/${op}`, body });
        const expected = SERIALIZATION.has(label) ? "SerializationException" : "ValidationException";
        if (a.status !== 400 || a.errorType !== expected || messageOf(a) === "") {
          wrong.push(`${label}: ${a.status} ${a.errorType} ${a.body.slice(0, 200)}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  test("a null member beside the one member set is absent, as JSON null is in restJson1", async () => {
    for (const [, fn] of RAW_TRANSPORTS) {
      const a = await fn(basalt.url, { path: "/model/basalt.echo/converse", body: withBlock('{"text":"echo me","image":null}') });
      assert.equal(a.status, 200, a.body);
      assert.deepEqual(JSON.parse(a.body).output.message.content, [{ text: "echo me" }]);
      const b = await fn(basalt.url, {
        path: "/model/basalt.echo/converse",
        body: converse('{"role":"user","content":[{"text":null,"image":{"format":"png","source":{"bytes":"AAAA"}}},{"text":"and this"}]}'),
      });
      assert.equal(b.status, 200, b.body);
      assert.match(JSON.parse(b.body).output.message.content[0].text, /\[image png 3 bytes\]\nand this/);
    }
  });

  test("nesting within the limit is served", async () => {
    const a = await RAW_TRANSPORTS[0][1](basalt.url, {
      path: "/model/basalt.echo/converse",
      body: converse(`${USER_HI},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":${nested(40)}}}]},` +
        '{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"fine"}]}}]}', `,"toolConfig":${TOOLS}`),
    });
    assert.equal(a.status, 200, a.body);
  });
});

// Native bodies with a wrong type somewhere inside, per family: [family id, case, body].
const NATIVE_400: [keyof typeof FAMILY_IDS, string, unknown][] = [
  ["nova", "text a number", { messages: [{ role: "user", content: [{ text: 5 }] }] }],
  ["nova", "text null beside an unknown key", { messages: [{ role: "user", content: [{ text: null, x: 1 }] }] }],
  ["nova", "image a string", { messages: [{ role: "user", content: [{ image: "x" }] }] }],
  ["nova", "image bytes a number", { messages: [{ role: "user", content: [{ image: { format: "png", source: { bytes: 5 } } }] }] }],
  ["nova", "document name a number", { messages: [{ role: "user", content: [{ text: "a" }, { document: { format: "pdf", name: 5, source: { bytes: "AAAA" } } }] }] }],
  ["nova", "toolUse id a number", {
    messages: [{ role: "user", content: [{ text: "a" }] }, { role: "assistant", content: [{ toolUse: { toolUseId: 1, name: "f", input: {} } }] }],
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] } }],
  ["nova", "toolResult content a string", {
    messages: [{ role: "user", content: [{ toolResult: { toolUseId: "t", content: "x" } }] }],
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] } }],
  ["nova", "system text an array", { system: [{ text: [] }], messages: [{ role: "user", content: [{ text: "a" }] }] }],
  ["nova", "tool name a number", { messages: [{ role: "user", content: [{ text: "a" }] }], toolConfig: { tools: [{ toolSpec: { name: 1, inputSchema: { json: {} } } }] } }],
  ["nova", "tools a string", { messages: [{ role: "user", content: [{ text: "a" }] }], toolConfig: { tools: "x" } }],
  ["nova", "toolChoice tool name a number", {
    messages: [{ role: "user", content: [{ text: "a" }] }],
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }], toolChoice: { tool: { name: 5 } } } }],
  ["nova", "toolUse input nested 10,000 levels", {
    messages: [{ role: "user", content: [{ text: "a" }] }, { role: "assistant", content: [{ toolUse: { toolUseId: "t", name: "f", input: "NESTED" } }] }],
    toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] } }],
  ["claude", "text a number", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: 5 }] }] }],
  ["claude", "content a number", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: 5 }] }],
  ["claude", "image source a string", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: [{ type: "image", source: "x" }] }] }],
  ["claude", "image data a number", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10,
    messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: 5 } }] }] }],
  ["claude", "system a number", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, system: 5, messages: [{ role: "user", content: "a" }] }],
  ["claude", "tool name a number", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, tools: [{ name: 5, input_schema: { type: "object" } }], messages: [{ role: "user", content: "a" }] }],
  ["claude", "tool_use input a string", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, tools: [{ name: "f", input_schema: { type: "object" } }],
    messages: [{ role: "user", content: "a" }, { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: "x" }] }] }],
  ["claude", "tool_result content a number", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, tools: [{ name: "f", input_schema: { type: "object" } }],
    messages: [{ role: "user", content: "a" }, { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: 5 }] }] }],
  ["claude", "stop_sequences of numbers", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, stop_sequences: [1], messages: [{ role: "user", content: "a" }] }],
  ["claude", "tool_use input nested 10,000 levels", { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, tools: [{ name: "f", input_schema: { type: "object" } }],
    messages: [{ role: "user", content: "a" }, { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: "NESTED" }] }] }],
  ["titan", "inputText a number", { inputText: 5 }],
  ["titan", "maxTokenCount a string", { inputText: "a", textGenerationConfig: { maxTokenCount: "x" } }],
  ["titan", "stopSequences of numbers", { inputText: "a", textGenerationConfig: { stopSequences: [1] } }],
  ["llama", "prompt a number", { prompt: 5 }],
  ["llama", "images of numbers", { prompt: "a", images: [5] }],
  ["llama", "max_gen_len a string", { prompt: "a", max_gen_len: "x" }],
  ["mistral", "prompt an object", { prompt: {} }],
  ["mistral", "stop a number", { prompt: "a", stop: 5 }],
  ["mistralChat", "content a number", { messages: [{ role: "user", content: 5 }] }],
  ["mistralChat", "tool_calls a string", { messages: [{ role: "user", content: "a" }, { role: "assistant", content: "", tool_calls: "x" }] }],
  ["mistralChat", "tool function name a number", { messages: [{ role: "user", content: "a" }], tools: [{ type: "function", function: { name: 5 } }] }],
  ["cohere", "message a number", { message: 5 }],
  ["cohere", "chat_history message a number", { message: "a", chat_history: [{ role: "USER", message: 5 }] }],
  ["cohere", "documents of numbers", { message: "a", documents: [5] }],
  ["cohere", "tool name a number", { message: "a", tools: [{ name: 5, description: "d" }] }],
  ["cohere", "tool_results call a string", { message: "a", tool_results: [{ call: "x", outputs: [] }] }],
  ["openai", "content a number", { messages: [{ role: "user", content: 5 }] }],
  ["openai", "content part text a number", { messages: [{ role: "user", content: [{ type: "text", text: 5 }] }] }],
  ["openai", "tool function name a number", { messages: [{ role: "user", content: "a" }], tools: [{ type: "function", function: { name: 5 } }] }],
  ["openai", "tool call arguments nested 10,000 levels", {
    messages: [{ role: "user", content: "a" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: nested(10_000) } }] },
      { role: "tool", tool_call_id: "c1", content: "r" }],
    tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] }],
  ["openai", "stop a number", { messages: [{ role: "user", content: "a" }], stop: 5 }],
];

const bodyOf = (value: unknown) => JSON.stringify(value).replace('"NESTED"', nested(10_000));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("native InvokeModel bodies with wrong types inside are a ValidationException", () => {
  test("every family, InvokeModel and the stream, both transports", async () => {
    const wrong: string[] = [];
    for (const [transport, client] of clients) {
      for (const [family, label, value] of NATIVE_400) {
        const modelId = FAMILY_IDS[family];
        for (const stream of [false, true]) {
          const input = { modelId, body: bodyOf(value), contentType: "application/json" };
          const err = await rejection(stream
            ? client.send(new InvokeModelWithResponseStreamCommand(input))
            : client.send(new InvokeModelCommand(input)));
          if (!(err instanceof ValidationException) || err.$metadata.httpStatusCode !== 400) {
            const op = stream ? "InvokeModelWithResponseStream" : "InvokeModel";
            wrong.push(`${transport} ${op} ${family}: ${label}: ${(err as Error | undefined)?.name} ${(err as Error | undefined)?.message}`);
          }
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  test("CountTokens with the same bodies as input.invokeModel", async () => {
    const wrong: string[] = [];
    for (const [family, label, value] of NATIVE_400) {
      const input = { invokeModel: { body: new TextEncoder().encode(bodyOf(value)) } };
      const err = await rejection(clients[0][1].send(new CountTokensCommand({ modelId: FAMILY_IDS[family], input })));
      if (!(err instanceof ValidationException)) wrong.push(`${family}: ${label}: ${(err as Error | undefined)?.name} ${(err as Error | undefined)?.message}`);
    }
    assert.deepEqual(wrong, []);
  });

  test("a bad native body never reaches an upstream", async () => {
    const before = upstream.requests.length;
    const wrong: string[] = [];
    for (const [family, label, value] of NATIVE_400) {
      const modelId = family === "nova" ? OPENAI_NOVA : family === "claude" ? OPENAI_CLAUDE : undefined;
      if (!modelId) continue;
      const err = await rejection(clients[0][1].send(new InvokeModelCommand({ modelId, body: bodyOf(value) })));
      if (!(err instanceof ValidationException)) wrong.push(`${family}: ${label}: ${(err as Error | undefined)?.name}`);
    }
    assert.deepEqual(wrong, []);
    assert.equal(upstream.requests.length, before, "no request went upstream");
  });
});

// Found by the fuzz test: CountTokens' `input.converse` is a ConverseTokensRequest, in which Converse-only
// members are unknown — ignored like any unknown member, whatever their type (it was a 500).
test("CountTokens ignores Converse-only members of any type inside input.converse", async () => {
  for (const [name, fn] of RAW_TRANSPORTS) {
    const a = await fn(basalt.url, {
      path: "/model/basalt.echo/count-tokens",
      body: '{"input":{"converse":{"additionalModelResponseFieldPaths":7,"guardrailConfig":5,"messages":[{"role":"user","content":[{"text":"hi"}]}]}}}',
    });
    assert.equal(a.status, 200, `${name}: ${a.body}`);
    assert.deepEqual(JSON.parse(a.body), { inputTokens: 1 });
  }
});
