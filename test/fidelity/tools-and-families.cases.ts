// Issue 19, items 6 and 9: toolAddition / toolRemoval in system-role messages, and the native bodies' details
// Bedrock's Claude and Llama show — `toolu_bdrk_01…` tool ids, the prompt's tokens in Claude's
// message_start and on Llama's first chunk, Llama `images` that must be real base64 images. Through the JS SDK.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand, type BedrockRuntimeClient, type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { sdkSession, type ConverseRequest } from "../helpers/sdk-session.js";

const CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";
const LLAMA = "meta.llama3-2-11b-instruct-v1:0";

const session = sdkSession({ config: `models:\n  - { id: basalt.echo, provider: echo }\n  - { id: "${CLAUDE}", provider: echo }\n  - { id: "${LLAMA}", provider: echo }\n` });

type Json = Record<string, unknown>;
type Req = ConverseRequest;
const send = (input: Req) => session.converse(input);
const refusal = (input: Req) => session.refusal(input);
const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as Json;
async function invoke(modelId: string, body: unknown): Promise<Json> {
  const out = await session.client.send(new InvokeModelCommand({ modelId, body: new TextEncoder().encode(JSON.stringify(body)) }));
  return decode(out.body);
}
async function invokeStream(modelId: string, body: unknown): Promise<Json[]> {
  const out = await session.client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: new TextEncoder().encode(JSON.stringify(body)) }));
  const chunks: Json[] = [];
  for await (const e of out.body!) if (e.chunk) chunks.push(decode(e.chunk.bytes));
  return chunks;
}

describe("item 6: toolAddition / toolRemoval", () => {
  const tools = { tools: [
    { toolSpec: { name: "search", inputSchema: { json: { type: "object" } } } },
    { toolSpec: { name: "fetch", inputSchema: { json: { type: "object" } } } },
  ] };
  const system = (...content: object[]) => ({ role: "system", content }) as never;
  const user = (text: string) => ({ role: "user", content: [{ text }] }) as never;
  const assistant = (text: string) => ({ role: "assistant", content: [{ text }] }) as never;

  test("a removed tool can no longer be called; adding it back makes it callable", async () => {
    const removed = await refusal({ toolConfig: tools, messages: [
      user("hi"), assistant("ok"), system({ toolRemoval: { tool: { name: "search" } } }), user("/tool search"),
    ] });
    assert.equal(removed.name, "ValidationException");
    assert.match(removed.message, /^The tool search isn't available/);
    const back = await send({ toolConfig: tools, messages: [
      user("hi"), assistant("ok"), system({ toolRemoval: { tool: { name: "search" } } }), user("later"), assistant("ok"),
      system({ toolAddition: { tool: { name: "search" } } }), user("/tool search"),
    ] });
    assert.equal(back.output!.message!.content![0].toolUse!.name, "search");
  });

  test("the last block for a tool decides: added then removed is not callable; toolChoice is refused alike", async () => {
    const err = await refusal({ toolConfig: { ...tools, toolChoice: { tool: { name: "fetch" } } }, messages: [
      user("x"), assistant("y"), system({ toolAddition: { tool: { name: "fetch" } } }), user("z"), assistant("w"),
      system({ toolRemoval: { tool: { name: "fetch" } } }), user("go"),
    ] });
    assert.match(err.message, /^The tool fetch isn't available/);
    // The other declared tool is untouched.
    const other = await send({ toolConfig: tools, messages: [user("x"), assistant("y"), system({ toolRemoval: { tool: { name: "fetch" } } }), user("/tool search")] });
    assert.equal(other.output!.message!.content![0].toolUse!.name, "search");
  });

  test("the blocks belong in system-role messages and name a declared tool", async () => {
    const inUser = await refusal({ toolConfig: tools, messages: [{ role: "user", content: [{ text: "hi" }, { toolAddition: { tool: { name: "search" } } }] } as never] });
    assert.equal(inUser.message, "User messages cannot contain toolAddition content. Please remove the toolAddition content and try again.");
    const undeclared = await refusal({ toolConfig: tools, messages: [user("hi"), assistant("ok"), system({ toolRemoval: { tool: { name: "nope" } } }), user("x")] });
    assert.equal(undeclared.message, "The tool nope in messages.2.content.0.toolRemoval isn't defined in toolConfig.tools. Add the tool to toolConfig.tools and try again.");
    const noConfig = await refusal({ messages: [user("hi"), assistant("ok"), system({ toolAddition: { tool: { name: "search" } } }), user("x")] });
    assert.equal(noConfig.message, "The toolConfig field must be defined when using toolAddition content blocks.");
  });
});

describe("item 9: what Bedrock's Claude and Llama bodies show", () => {
  const claude = (extra: Json) => ({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, ...extra });

  test("Claude tool_use ids are toolu_bdrk_01…, the same for the same call, unary and stream", async () => {
    const body = claude({
      tools: [{ name: "get_weather", input_schema: { type: "object" } }],
      messages: [{ role: "user", content: '/tool get_weather {"city":"Oslo"}' }],
    });
    const out = await invoke(CLAUDE, body);
    const id = ((out.content as Json[])[0]).id as string;
    assert.match(id, /^toolu_bdrk_01[0-9A-Za-z]{22}$/);
    assert.equal(((await invoke(CLAUDE, body)).content as Json[])[0].id, id);
    const start = (await invokeStream(CLAUDE, body)).find((c) => c.type === "content_block_start")!;
    assert.equal((start.content_block as Json).id, id);
  });

  test("Claude's message_start carries the prompt's input_tokens", async () => {
    const chunks = await invokeStream(CLAUDE, claude({ messages: [{ role: "user", content: "three little words" }] }));
    const start = chunks[0].message as { usage: { input_tokens: number } };
    assert.equal(chunks[0].type, "message_start");
    assert.equal(start.usage.input_tokens, 3);
  });

  test("Llama: prompt_token_count on the first chunk, null after", async () => {
    const chunks = await invokeStream(LLAMA, { prompt: "one two three" });
    assert.equal(chunks[0].prompt_token_count, 3);
    assert.ok(chunks.slice(1).every((c) => c.prompt_token_count === null));
    assert.equal(chunks.at(-1)!.stop_reason, "stop");
  });

  test("Llama images must be base64 png/jpeg/gif/webp: bad ones are malformed, not taken as png", async () => {
    const malformed = (line: string) => `Malformed input request: ${line}, please reformat your input and try again.`;
    for (const [image, line] of [
      ["not base64!", "#/images/0: the image is not valid base64"],
      [Buffer.from("plain text, not an image").toString("base64"), "#/images/0: the image is not a png, jpeg, gif or webp image"],
    ]) {
      const err = await invoke(LLAMA, { prompt: "<|image|>what is it", images: [image] }).then(() => assert.fail("accepted"), (e: Error) => e);
      assert.equal(err.name, "ValidationException");
      assert.equal(err.message, malformed(line));
    }
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]).toString("base64");
    assert.equal((await invoke(LLAMA, { prompt: "look", images: [jpeg] })).generation, "[image jpeg 8 bytes]\nlook");
  });
});
