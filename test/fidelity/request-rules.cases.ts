// Issue 19, items 3, 4 and 7: request rules the service enforces beyond the model's constraints —
// ill-formed JSON pointers, cache points with nothing to cache, a guardrail identifier without its version —
// through the JS SDK, compared with the recording or the documentation/report cited beside each.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  ConverseCommand, ConverseStreamCommand, InvokeModelCommand, type BedrockRuntimeClient, type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { sdkSession, type ConverseRequest } from "../helpers/sdk-session.js";

const cacheRecording = JSON.parse(readFileSync(new URL("./recordings/amazon-bedrock-cache-point-only-assistant-error.json", import.meta.url), "utf8")) as { message: string };

const session = sdkSession();

type Req = ConverseRequest;
const hi = [{ role: "user", content: [{ text: "hi" }] }] as ConverseCommandInput["messages"];

const send = (input: Req) => session.converse(input);
const refusal = (input: Req) => session.refusal(input);

describe("item 3: additionalModelResponseFieldPaths must be well-formed JSON pointers (RFC 6901)", () => {
  // The member's documentation: Converse "reject[s] an empty JSON Pointer or incorrectly structured JSON
  // Pointer with a 400 error code"; a valid pointer naming nothing is ignored.
  test("an empty pointer breaks the member's length constraint first (value quoted, as outside the conversation)", async () => {
    const r = await refusal({ messages: hi, additionalModelResponseFieldPaths: [""] });
    assert.equal(r.message, "1 validation error detected: Value '' at 'additionalModelResponseFieldPaths.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  for (const path of ["/a/~9", "stop_sequence", "/a~"]) {
    test(`${JSON.stringify(path)} → 400 ValidationException`, async () => {
      const r = await refusal({ messages: hi, additionalModelResponseFieldPaths: [path] });
      assert.equal(r.name, "ValidationException");
      assert.equal(r.message, `The additionalModelResponseFieldPaths value ${path} is not a valid JSON pointer. Use a JSON pointer such as /stop_sequence and try again.`);
    });
  }

  test("escapes ~0 and ~1 and a pointer that names nothing are accepted", async () => {
    const out = await send({ messages: hi, additionalModelResponseFieldPaths: ["/a~1b/~0c", "/nothing/here"] });
    assert.equal(out.stopReason, "end_turn");
  });
});

describe("item 4: a cache point needs something before it to cache", () => {
  test("a user message holding only a cachePoint: the recorded message", async () => {
    const r = await refusal({ messages: [{ role: "user", content: [{ cachePoint: { type: "default" } }] }] });
    assert.equal(r.message, cacheRecording.message);
  });

  test("a later user message holding only a cachePoint, and over ConverseStream", async () => {
    const messages = [
      { role: "user", content: [{ text: "hi" }] }, { role: "assistant", content: [{ text: "yes" }] },
      { role: "user", content: [{ cachePoint: { type: "default" } }] },
    ] as ConverseCommandInput["messages"];
    assert.equal((await refusal({ messages })).message, cacheRecording.message);
    const stream = await session.client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages })).then(() => undefined, (e: Error) => e);
    assert.equal(stream?.message, cacheRecording.message);
  });

  test("a system list holding only a cachePoint (and no tools before it)", async () => {
    assert.equal((await refusal({ messages: hi, system: [{ cachePoint: { type: "default" } }] })).message, cacheRecording.message);
  });

  test("cache points after content are accepted, in system and in messages", async () => {
    const out = await send({
      system: [{ text: "be brief" }, { cachePoint: { type: "default" } }],
      messages: [{ role: "user", content: [{ text: "hi" }, { cachePoint: { type: "default" } }] }],
    });
    assert.equal(out.stopReason, "end_turn");
  });
});

describe("item 7: a guardrail identifier needs its version, in Converse as in InvokeModel", () => {
  // strands-agents/harness-sdk#4223: "guardrail_id and guardrail_version are required together by Bedrock's
  // Converse API"; both were required members of GuardrailConfiguration in earlier models.
  test("Converse and ConverseStream refuse an identifier alone with the required-member message", async () => {
    const expected = "1 validation error detected: Value null at 'guardrailConfig.guardrailVersion' failed to satisfy constraint: Member must not be null";
    const r = await refusal({ messages: hi, guardrailConfig: { guardrailIdentifier: "abc123" } });
    assert.equal(r.name, "ValidationException");
    assert.equal(r.message, expected);
    const stream = await session.client.send(new ConverseStreamCommand({
      modelId: "basalt.echo", messages: hi, guardrailConfig: { guardrailIdentifier: "abc123" },
    })).then(() => undefined, (e: Error) => e);
    assert.equal(stream?.message, expected);
    const versionOnly = await refusal({ messages: hi, guardrailConfig: { guardrailVersion: "1" } });
    assert.equal(versionOnly.message, expected.replace("guardrailVersion", "guardrailIdentifier"));
  });

  test("InvokeModel refuses it too", async () => {
    const err = await session.client.send(new InvokeModelCommand({
      modelId: "basalt.echo", guardrailIdentifier: "abc123", body: new TextEncoder().encode(JSON.stringify({ inputText: "x" })),
    })).then(() => undefined, (e: Error) => e);
    assert.equal(err?.name, "ValidationException");
    assert.match(err?.message ?? "", /guardrail version is required/);
  });
});
