// Issue 19, items 1, 2, 8 and 10: how the AWS front end words what it refuses before a model is involved —
// the offending value quoted in constraint messages, the modelId label checked like any member, a wrong JSON
// type answered as SerializationException, and the unknown-operation body. Through the JS SDK (and boto3
// where its client differs), each message compared with a recording or the public report cited beside it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  ConverseCommand, InvokeModelCommand, type BedrockRuntimeClient, type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { sdkSession, type ConverseRequest } from "../helpers/sdk-session.js";
import { renderValue } from "../../src/service-model/render-value.js";

// Copies of files in shared/recordings/bedrock (see recordings/README.md), so the suite runs anywhere.
const RECORDINGS = new URL("./recordings/", import.meta.url);
const recording = (name: string) => readFileSync(new URL(name, RECORDINGS), "utf8");
const spec = JSON.parse(readFileSync(new URL("../../spec/bedrock-runtime.service-2.json", import.meta.url), "utf8")) as {
  shapes: Record<string, { pattern?: string }>;
};

const session = sdkSession();

type Req = ConverseRequest;
const hi = [{ role: "user", content: [{ text: "hi" }] }] as ConverseCommandInput["messages"];

const refusal = session.refusal;

describe("item 1: the offending value is quoted as the front end quotes it", () => {
  test("an integer as written, a float in Java's form ('99.0'), members in the shape's order", async () => {
    // The issue's reproduction; the wording is continuedev#2296 / semantic-kernel's logs ("Value '0' at
    // 'inferenceConfig.maxTokens'") and Java's Float.toString for the float member.
    const r = await refusal({ messages: hi, inferenceConfig: { maxTokens: 0, temperature: 99 } });
    assert.equal(r.name, "ValidationException");
    assert.equal(r.message, "2 validation errors detected: " +
      "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      "Value '99.0' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1");
  });

  test("a fractional float stays as written (stdapi-ai/stdapi.ai#224, live against amazon.nova-micro-v1:0)", async () => {
    const r = await refusal({ messages: hi, inferenceConfig: { temperature: 1.5 } });
    assert.equal(r.message, "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1");
  });

  test("a string is quoted even when empty; pattern before length (BerriAI/litellm#19384)", async () => {
    const r = await refusal({ messages: hi, toolConfig: { tools: [{ toolSpec: { name: "", description: "", inputSchema: { json: { type: "object" } } } }] } });
    const at = "toolConfig.tools.1.member.toolSpec";
    assert.equal(r.message, "3 validation errors detected: " +
      `Value '' at '${at}.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+; ` +
      `Value '' at '${at}.name' failed to satisfy constraint: Member must have length greater than or equal to 1; ` +
      `Value '' at '${at}.description' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  });

  test("a list is never quoted (genkit-ai/aws-bedrock-js-plugin#43, Portkey-AI/gateway#1124)", async () => {
    const r = await refusal({ messages: hi, toolConfig: { tools: [] } });
    assert.equal(r.message, "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  test("inside the conversation nothing is quoted, exactly as recorded", async () => {
    const toolName = JSON.parse(recording("bedrock-invalid-tool-name-validation-error.json")).message as string;
    const r = await refusal({
      toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } }] },
      messages: [
        { role: "user", content: [{ text: "hi" }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "bad name!", input: {} } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "r" }] } }] },
      ],
    });
    assert.equal(r.message, toolName);
    const documents = JSON.parse(recording("amazon-bedrock-invalid-document-filenames.json")).responses;
    const longName = await refusal({ messages: [{ role: "user", content: [
      { text: "read" }, { document: { name: "a".repeat(201), format: "txt", source: { bytes: new TextEncoder().encode("x") } } },
    ] }] });
    assert.equal(longName.message, documents.maximumLength.body.message);
  });

  test("a sensitive shape's values are not quoted either (the service model's `sensitive` trait)", async () => {
    // RequestMetadata is sensitive: a value breaking its pattern is named by path, never quoted.
    const r = await refusal({ messages: hi, requestMetadata: { team: "a!b" } });
    assert.equal(r.message, "1 validation error detected: Value at 'requestMetadata.team.value' failed to satisfy constraint: " +
      "Member must satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{0,256}");
  });

  test("Java's float forms: whole numbers gain .0, tiny and huge ones use E notation, float32 rounding is hidden", () => {
    assert.equal(renderValue(99, "float"), "'99.0'");
    assert.equal(renderValue(0.7, "float"), "'0.7'");
    assert.equal(renderValue(-0.00001, "float"), "'-1.0E-5'");
    assert.equal(renderValue(123456789, "float"), "'1.2345679E8'");
    assert.equal(renderValue(1.5, "double"), "'1.5'");
    assert.equal(renderValue(0, "integer"), "'0'");
    assert.equal(renderValue("bad id!"), "'bad id!'");
  });
});

describe("item 2: the modelId label is checked against its shape before any lookup", () => {
  test("a malformed id: the pattern of the operation's own modelId shape, value quoted (aws/aws-sdk-js-v3#5665, n8n#9084)", async () => {
    const r = await refusal({ messages: hi }, "bad id!");
    assert.equal(r.status, 400);
    assert.equal(r.message, `1 validation error detected: Value 'bad id!' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${spec.shapes.ConversationalModelId.pattern}`);
    const invoke = await session.client.send(new InvokeModelCommand({ modelId: "bad id!", body: new TextEncoder().encode("{}") })).then(
      () => assert.fail("accepted"), (e: Error) => e);
    assert.equal(invoke.name, "ValidationException");
    assert.equal(invoke.message, `1 validation error detected: Value 'bad id!' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${spec.shapes.InvokeModelIdentifier.pattern}`);
  });

  test("an id longer than 2048 characters breaks the length constraint", async () => {
    const long = "a".repeat(2049);
    const r = await refusal({ messages: hi }, long);
    assert.equal(r.message, `1 validation error detected: Value '${long}' at 'modelId' failed to satisfy constraint: Member must have length less than or equal to 2048`);
  });

  test("a well-formed id the catalog does not serve is still the catalog's answer", async () => {
    const r = await refusal({ messages: hi }, "acme.unknown-model-v1:0");
    assert.equal(r.message, "The provided model identifier is invalid.");
  });
});

describe("item 8: a wrong JSON type is a SerializationException, before any constraint", () => {
  test("a string where an integer belongs", async () => {
    const r = await refusal({ messages: hi, inferenceConfig: { maxTokens: "5" as never, temperature: 99 } });
    assert.equal(r.name, "SerializationException");
    assert.equal(r.status, 400);
    assert.equal(r.message, "STRING_VALUE can not be converted to an Integer");
  });

  test("a number where a string belongs, an object where a list belongs", async () => {
    assert.equal((await refusal({ messages: hi, inferenceConfig: { stopSequences: [5 as never] } })).message, "NUMBER_VALUE can not be converted to a String");
    const r = await refusal({ messages: { role: "user" } as never });
    assert.equal(r.name, "SerializationException");
    assert.equal(r.message, "Start of structure or map found where not expected.");
  });
});

describe("item 10: a path no operation matches", () => {
  test("answers the recorded body byte for byte, 404, still naming the error in x-amzn-errortype", async () => {
    const recorded = recording("issue-17523-unknown-operation.chunks.txt").trim();
    assert.deepEqual(JSON.parse(recorded), JSON.parse(recording("issue-17523-unknown-operation.json")));
    for (const path of ["/no/such/path", "/model/basalt.echo/no-such-action"]) {
      const r = await fetch(`${session.basalt.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(r.status, 404, path);
      assert.match(r.headers.get("x-amzn-errortype") ?? "", /^UnknownOperationException:/);
      assert.equal(await r.text(), recorded, path);
    }
  });
});

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
test("boto3 (client-side validation off, so the server judges): the same messages and error codes", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const script = fileURLToPath(new URL("./python/validation_wording.py", import.meta.url));
  const out = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, session.basalt.url], { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))));
  const got = JSON.parse(out) as Record<string, [string, string]>;
  assert.deepEqual(got.temperature, ["ValidationException",
    "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1"]);
  assert.deepEqual(got.maxTokensType, ["SerializationException", "STRING_VALUE can not be converted to an Integer"]);
  assert.equal(got.badModel[0], "ValidationException");
  assert.match(got.badModel[1], /^1 validation error detected: Value 'bad id!' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
});
