// Every validation case of issue 3, through the SDK: ValidationException, HTTP 400, Bedrock's wording.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, ValidationException,
  type BedrockRuntimeClient, type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { transports } from "../helpers/clients.js";

const recorded = JSON.parse(
  readFileSync(new URL("./recordings/amazon-bedrock-invalid-document-filenames.json", import.meta.url), "utf8"),
);
const toolRecording = JSON.parse(
  readFileSync(new URL("./recordings/bedrock-invalid-tool-name-validation-error.json", import.meta.url), "utf8"),
);

type Req = Omit<ConverseCommandInput, "modelId">;
const text = (t: string) => ({ text: t });
const user = (...content: object[]) => ({ role: "user", content }) as never;
const assistant = (...content: object[]) => ({ role: "assistant", content }) as never;
const pdf = (name: string) => ({ document: { format: "pdf", name, source: { bytes: new Uint8Array(40) } } });
const tools = (...names: string[]) => ({ tools: names.map((name) => ({ toolSpec: { name, inputSchema: { json: { type: "object" } } } })) });

// [case, request, expected message (string = exact, RegExp = match)]
const CASES: [string, Req, string | RegExp][] = [
  ["empty messages", { messages: [] }, /messages field is empty/],
  ["first message not user", { messages: [assistant(text("hi")), user(text("hello"))] },
    "A conversation must start with a user message. Try again with a conversation that starts with a user message."],
  ["roles that do not alternate", { messages: [user(text("a")), user(text("b"))] },
    "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."],
  ["empty content", { messages: [user(text("a")), assistant()] },
    "The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again."],
  ["content block with no member", { messages: [user({})] }, /ContentBlock object at messages\.0\.content\.0 must set one of the following keys: text, image/],
  ["content block with two members", { messages: [user({ text: "a", image: { format: "png", source: { bytes: new Uint8Array(3) } } })] },
    /ContentBlock object at messages\.0\.content\.0 must set one of the following keys/],
  ["image format outside png/jpeg/gif/webp", { messages: [user(text("see"), { image: { format: "bmp", source: { bytes: new Uint8Array(3) } } })] },
    "1 validation error detected: Value at 'messages.1.member.content.2.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]"],
  ["document format outside the enum", { messages: [user(text("read"), { document: { format: "rtf", name: "doc", source: { bytes: new Uint8Array(3) } } })] },
    /Value at 'messages\.1\.member\.content\.2\.member\.document\.format' failed to satisfy constraint: Member must satisfy enum value set: \[pdf, csv, doc, docx, xls, xlsx, html, txt, md\]/],
  ["document name over 200 chars", { messages: [user(text("read"), pdf("a".repeat(201)))] }, recorded.responses.maximumLength.body.message],
  ["empty document name", { messages: [user(text("read"), pdf(""))] }, recorded.responses.minimumLength.body.message],
  ["document without a text block", { messages: [user(pdf("report"))] }, "A text block must be included when using documents."],
  ["blank text", { messages: [user(text("  "))] },
    "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again."],
  ["toolUse in a user message", { messages: [user(text("x"), { toolUse: { toolUseId: "t1", name: "f", input: {} } })], toolConfig: tools("f") },
    /User messages cannot contain toolUse content/],
  ["toolResult in an assistant message", {
    messages: [user(text("x")), assistant({ toolResult: { toolUseId: "t1", content: [text("r")] } })], toolConfig: tools("f") },
    /Assistant messages cannot contain toolResult content/],
  ["toolUse without toolConfig", { messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: {} } }), user(text("y"))] },
    "The toolConfig field must be defined when using toolUse and toolResult content blocks."],
  ["toolResult without toolConfig", {
    messages: [user(text("x")), assistant(text("ok")), user({ toolResult: { toolUseId: "t1", content: [text("r")] } })] },
    "The toolConfig field must be defined when using toolUse and toolResult content blocks."],
  ["toolResult answering no toolUse of the previous assistant message", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: {} } }),
      user({ toolResult: { toolUseId: "t2", content: [text("r")] } })], toolConfig: tools("f") },
    "Expected toolResult blocks at messages.2.content for the following Ids: t1"],
  ["toolResult after an assistant message without toolUse", {
    messages: [user(text("x")), assistant(text("ok")), user(text("y"), { toolResult: { toolUseId: "t1", content: [text("r")] } })],
    toolConfig: tools("f") },
    "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."],
  ["more toolResults than toolUses", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: {} } }),
      user({ toolResult: { toolUseId: "t1", content: [text("r")] } }, { toolResult: { toolUseId: "t1", content: [text("again")] } })],
    toolConfig: tools("f") },
    "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."],
  ["a toolUse of the previous turn left without its toolResult", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: {} } }, { toolUse: { toolUseId: "t2", name: "f", input: {} } },
      { toolUse: { toolUseId: "t3", name: "f", input: {} } }),
    user({ toolResult: { toolUseId: "t2", content: [text("r")] } })], toolConfig: tools("f") },
    "Expected toolResult blocks at messages.2.content for the following Ids: t1, t3"],
  ["a toolResult json item that is not an object", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: {} } }),
      user({ toolResult: { toolUseId: "t1", content: [text("ok"), { json: [1, 2] }] } })], toolConfig: tools("f") },
    "The format of the value at messages.2.content.0.toolResult.content.1.json is invalid. Provide a json object for the field and try again."],
  ["an error toolResult without content", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: {} } }),
      user(text("see"), { toolResult: { toolUseId: "t1", status: "error", content: [] } })], toolConfig: tools("f") },
    "The content field at messages.2.content.1.toolResult cannot be empty when status value is error."],
  ["a toolUse input that is not an object", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "f", input: "go" } }),
      user({ toolResult: { toolUseId: "t1", content: [text("r")] } })], toolConfig: tools("f") },
    "The format of the value at messages.1.content.0.toolUse.input is invalid. Provide a json object for the field and try again."],
  ["two documents with one name in a message", { messages: [user(text("read"), pdf("report"), pdf("report"))] },
    "Messages can't contain duplicate document names. Rename the document and retry your request."],
  ["two documents with one name in different turns", {
    messages: [user(text("read"), pdf("report")), assistant(text("ok")), user(text("and this"), pdf("report"))] },
    "Messages can't contain duplicate document names. Rename the document and retry your request."],
  ["six documents in a request", {
    messages: [user(text("read"), pdf("a"), pdf("b"), pdf("c")), assistant(text("ok")), user(text("more"), pdf("d"), pdf("e"), pdf("f"))] },
    "You can't include more than 5 documents in a request."],
  ["a tool schema without a top-level type", {
    messages: [user(text("x"))], toolConfig: { tools: [{ toolSpec: { name: "g", inputSchema: { json: { properties: { a: { type: "string" } } } } } }] } },
    "The value at toolConfig.tools.0.toolSpec.inputSchema.json.type must be one of the following: object."],
  ["a tool schema whose top-level type is not object", {
    messages: [user(text("x"))],
    toolConfig: { tools: [tools("f").tools[0], { toolSpec: { name: "g", inputSchema: { json: { type: "array" } } } }] } },
    "The value at toolConfig.tools.1.toolSpec.inputSchema.json.type must be one of the following: object."],
  ["temperature above 1", { messages: [user(text("x"))], inferenceConfig: { temperature: 1.5 } },
    "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1"],
  ["temperature below 0", { messages: [user(text("x"))], inferenceConfig: { temperature: -0.1 } },
    /inferenceConfig\.temperature' failed to satisfy constraint: Member must have value greater than or equal to 0/],
  ["topP above 1", { messages: [user(text("x"))], inferenceConfig: { topP: 2 } },
    /inferenceConfig\.topP' failed to satisfy constraint: Member must have value less than or equal to 1/],
  ["maxTokens below 1", { messages: [user(text("x"))], inferenceConfig: { maxTokens: 0 } },
    /inferenceConfig\.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1/],
  ["tool name breaking its pattern", { messages: [user(text("x"))], toolConfig: tools("bad name") },
    /Value 'bad name' at 'toolConfig\.tools\.1\.member\.toolSpec\.name' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_-\]\+/],
  ["toolUse name breaking its pattern (the recorded message)", {
    messages: [user(text("x")), assistant({ toolUse: { toolUseId: "t1", name: "bad name", input: {} } }), user(text("y"))],
    toolConfig: tools("f") }, toolRecording.message],
  ["duplicate tool names", { messages: [user(text("x"))], toolConfig: tools("f", "f") }, /duplicate tool names: f/],
  ["toolChoice naming an undefined tool", { messages: [user(text("x"))], toolConfig: { ...tools("f"), toolChoice: { tool: { name: "g" } } } },
    /The tool g in toolConfig\.toolChoice isn't defined in toolConfig\.tools/],
  ["two errors are reported together", { messages: [user(text("x"))], inferenceConfig: { temperature: 3, topP: 3 } },
    /^2 validation errors detected: Value '3\.0' at 'inferenceConfig\.temperature'.*; Value '3\.0' at 'inferenceConfig\.topP'/],
];

let basalt: InProcessBasalt;
before(async () => (basalt = await startInProcess()));
after(async () => void (await basalt.stop()));

function expectValidation(expected: string | RegExp) {
  return (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.ok(err instanceof ValidationException, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    if (typeof expected === "string") assert.equal(err.message, expected);
    else assert.match(err.message, expected);
    return true;
  };
}

for (const [label, makeClient] of transports) {
  describe(`Converse validation over ${label}`, () => {
    let client: BedrockRuntimeClient;
    before(() => (client = makeClient(basalt.url)));
    after(() => client.destroy());
    for (const [name, req, expected] of CASES) {
      test(name, () => assert.rejects(client.send(new ConverseCommand({ modelId: "basalt.echo", ...req })), expectValidation(expected)));
    }
    test("unknown model id", () =>
      assert.rejects(
        client.send(new ConverseCommand({ modelId: "acme.nothing-v1:0", messages: [user(text("x"))] })),
        expectValidation("The provided model identifier is invalid."),
      ));
  });
}

/**
 * CountTokens nests the conversation under `input.converse`: constraint and union messages, which come from
 * the request shape, name the full member path; Bedrock's conversation rules keep their `messages.N` wording.
 */
function underInputConverse(expected: string | RegExp): string | RegExp {
  const text = typeof expected === "string" ? expected : expected.source;
  const dot = typeof expected === "string" ? "." : "\\.";
  const moved = text.includes("must set one of the following keys")
    ? text.replace("object at messages", `object at input${dot}converse${dot}messages`)
    : text.replace(" at '", ` at 'input${dot}converse${dot}`);
  return typeof expected === "string" ? moved : new RegExp(moved);
}

describe("the same checks guard ConverseStream and CountTokens", () => {
  let client: BedrockRuntimeClient;
  before(() => (client = transports[0][1](basalt.url)));
  after(() => client.destroy());
  for (const [name, req, expected] of CASES) {
    test(`ConverseStream: ${name}`, () =>
      assert.rejects(client.send(new ConverseStreamCommand({ modelId: "basalt.echo", ...req })), expectValidation(expected)));
  }
  // CountTokens' converse input has no inferenceConfig.
  for (const [name, req, expected] of CASES.filter(([, r]) => !r.inferenceConfig)) {
    test(`CountTokens: ${name}`, () =>
      assert.rejects(
        client.send(new CountTokensCommand({
          modelId: "basalt.echo",
          input: { converse: { messages: req.messages, toolConfig: req.toolConfig } as never },
        })),
        expectValidation(underInputConverse(expected)),
      ));
  }
  test("ConverseStream: unknown model id is an HTTP error before any event", () =>
    assert.rejects(
      client.send(new ConverseStreamCommand({ modelId: "acme.nothing-v1:0", messages: [user(text("x"))] })),
      expectValidation("The provided model identifier is invalid."),
    ));
  test("CountTokens: unknown model id", () =>
    assert.rejects(
      client.send(new CountTokensCommand({ modelId: "acme.nothing-v1:0", input: { converse: { messages: [user(text("x"))] } } })),
      expectValidation("The provided model identifier is invalid."),
    ));
});

describe("documents: five distinct names are accepted", () => {
  let client: BedrockRuntimeClient;
  before(() => (client = transports[0][1](basalt.url)));
  after(() => client.destroy());
  test("five documents across two turns", async () => {
    const out = await client.send(new ConverseCommand({
      modelId: "basalt.echo",
      messages: [user(text("read"), pdf("a"), pdf("b")), assistant(text("ok")), user(text("more"), pdf("c"), pdf("d"), pdf("e"))],
    }));
    assert.equal(out.stopReason, "end_turn");
  });
});

describe("document names (the recorded real-service cases)", () => {
  let client: BedrockRuntimeClient;
  before(() => (client = transports[0][1](basalt.url)));
  after(() => client.destroy());
  for (const name of recorded.responses.characterSet.documentNames as string[]) {
    test(`rejects ${JSON.stringify(name)}`, () =>
      assert.rejects(
        client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [user(text("read"), pdf(name))] })),
        expectValidation(recorded.responses.characterSet.body.message),
      ));
  }
  // Underscores are outside the documented set, but the real service takes them (vercel/ai#20366, checked live).
  for (const name of ["Quarterly Report (2026) [final]", "a-b c", "x", "my_report"]) {
    test(`accepts ${JSON.stringify(name)}`, async () => {
      const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [user(text("read"), pdf(name))] }));
      assert.equal(out.stopReason, "end_turn");
    });
  }
});
