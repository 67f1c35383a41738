// InvokeModel on a backend that speaks Bedrock itself (the `bedrock` provider's relay): a downstream Basalt
// passes native bodies through, re-signed, to an upstream Basalt serving echo-backed Claude.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h2Client } from "../helpers/clients.js";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { ANTHROPIC_VERSION, CLAUDE, invoke, invokeStream, rejection, withoutMetrics } from "./harness.js";

let upstream: InProcessBasalt;
let downstream: RunningBasalt;
let client: BedrockRuntimeClient;

before(async () => {
  upstream = await startInProcess({ config: `models:\n  - { id: "${CLAUDE}", provider: echo }\n` });
  // The downstream runs the CLI: its AWS credentials come from its own environment.
  downstream = await startBasalt({
    config: writeConfig(`
providers:
  up: { type: bedrock, region: us-east-1, endpoint: "${upstream.url}" }
models:
  - { id: "${CLAUDE}", provider: up }
`),
    env: { AWS_ACCESS_KEY_ID: "AKIDRELAYTEST", AWS_SECRET_ACCESS_KEY: "relay-secret", AWS_PROFILE: "", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" },
  });
  client = h2Client(downstream.url);
});
after(async () => {
  client.destroy();
  await downstream.stop();
  await upstream.stop();
});

const body = (text: string) => ({ anthropic_version: ANTHROPIC_VERSION, max_tokens: 50, messages: [{ role: "user", content: text }] });

test("InvokeModel and its stream pass through the relay unchanged", async () => {
  const out = await invoke(client, CLAUDE, body("relayed words"));
  assert.equal(out.type, "message");
  assert.deepEqual(out.content, [{ type: "text", text: "relayed words" }]);

  const { chunks, metrics } = withoutMetrics(await invokeStream(client, CLAUDE, body("relayed stream")));
  assert.deepEqual(chunks.map((c) => c.type), [
    "message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
  ]);
  assert.equal(metrics.outputTokenCount, 2);
});

test("header checks run before the relay; body errors come from the upstream in Bedrock's words", async () => {
  const header = await rejection(invoke(client, CLAUDE, body("x"), { guardrailIdentifier: "Bad Id!", guardrailVersion: "1" }));
  assert.equal(header.name, "ValidationException");
  assert.match(header.message, /guardrailIdentifier/);
  const native = await rejection(invoke(client, CLAUDE, { messages: [] }));
  assert.equal(native.name, "ValidationException");
  assert.match(native.message, /required key \[max_tokens\] not found/);
});
