// A Nova Sonic model behind a `bedrock` provider is relayed as a duplex stream: the client's input chunks go
// upstream re-signed with the provider's credentials (head and every event), the upstream's output chunks
// come back unchanged. The upstream here is a second Basalt with auth on, so the relay's signatures are
// checked by an independent verifier, and its basalt.echo answers.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h2Client } from "../helpers/clients.js";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { errorOf } from "../helpers/sdk.js";
import type { CallRecord } from "../../src/core/call-record.js";
import {
  answerText, audioContentStart, audioInput, completions, contentEnd, openSession, promptEnd, promptStart, sessionEnd,
  sessionStart, textContent, type SonicSession,
} from "./sonic-client.js";

const RELAY_KEY = { id: "AKIDRELAYPROVIDER", secret: "relay-provider-secret" };
const ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] as const;

function open(s: SonicSession): void {
  s.send(sessionStart());
  s.send(promptStart(s.promptName));
}
function close(s: SonicSession): void {
  s.send(promptEnd(s.promptName));
  s.send(sessionEnd());
  s.end();
}

describe("bidirectional stream relayed to a Bedrock upstream", () => {
  let upstream: InProcessBasalt;
  let front: InProcessBasalt;
  let client: BedrockRuntimeClient;
  const savedEnv: Partial<Record<(typeof ENV)[number], string>> = {};
  const upstreamRecords: Readonly<CallRecord>[] = [];

  before(async () => {
    // The provider's credentials come from the standard chain: the environment here.
    for (const name of ENV) savedEnv[name] = process.env[name];
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_ACCESS_KEY_ID = RELAY_KEY.id;
    process.env.AWS_SECRET_ACCESS_KEY = RELAY_KEY.secret;
    upstream = await startInProcess({
      config: `auth: { keys: [{ name: relay, accessKeyId: ${RELAY_KEY.id}, secretAccessKey: ${RELAY_KEY.secret} }] }`,
      observers: [{ name: "test", observe: (r) => void upstreamRecords.push(r) }],
    });
    front = await startInProcess({
      config: `
providers:
  up: { type: bedrock, region: us-east-1, endpoint: "${upstream.url}" }
models:
  - { id: "amazon.nova-sonic-v1:0", provider: up, model: "basalt.echo" }
  - { id: "amazon.nova-2-sonic-v1:0", provider: up, model: "no.such-model" }
`,
    });
    client = h2Client(front.url);
  });
  after(async () => {
    client.destroy();
    await front.stop();
    await upstream.stop();
    for (const name of ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
  });

  test("text turns pass through the relay, every event re-signed and verified upstream", async () => {
    const s = openSession(client, "amazon.nova-sonic-v1:0");
    open(s);
    textContent(s.promptName, "USER", "through the relay").forEach((e) => s.send(e));
    textContent(s.promptName, "USER", "and back again").forEach((e) => s.send(e));
    close(s);
    await s.finished;
    const ids = completions(s.received);
    assert.equal(ids.length, 2);
    assert.equal(answerText(s.received, ids[0]), "through the relay");
    assert.equal(answerText(s.received, ids[1]), "and back again");
  });

  test("audio passes through the relay byte for byte", async () => {
    const s = openSession(client, "amazon.nova-sonic-v1:0");
    open(s);
    const contentName = randomUUID();
    s.send(audioContentStart(s.promptName, contentName));
    const frames = Array.from({ length: 8 }, () => randomBytes(2048));
    for (const f of frames) s.send(audioInput(s.promptName, contentName, f));
    s.send(contentEnd(s.promptName, contentName));
    close(s);
    await s.finished;
    const out = s.received.filter((e) => e.audioOutput).map((e) => Buffer.from(String(e.audioOutput.content), "base64"));
    assert.equal(out.length, frames.length);
    out.forEach((bytes, i) => assert.ok(bytes.equals(frames[i]), `frame ${i} differs`));
  });

  test("the client leaving mid-answer releases the relayed upstream stream", async () => {
    const s = openSession(client, "amazon.nova-sonic-v1:0");
    open(s);
    textContent(s.promptName, "USER", "/slow 300 a long answer that nobody waits for").forEach((e) => s.send(e));
    await s.waitFor((e) => e.textOutput !== undefined);
    const before = upstreamRecords.length;
    s.abort.abort();
    await s.finished.catch(() => undefined);
    // The upstream's call record is written when its stream closes: it closes because the relay let go.
    const seen = () => upstreamRecords.slice(before).some((r) => r.operation === "InvokeModelWithBidirectionalStream");
    for (let i = 0; i < 300 && !seen(); i++) await new Promise((r) => setTimeout(r, 100));
    const record = upstreamRecords.slice(before).find((r) => r.operation === "InvokeModelWithBidirectionalStream");
    assert.ok(record, "the upstream stream was not released within 30 s");
    assert.equal(record.caller, "relay");
    assert.equal(record.clientGone, true);
  });

  test("the upstream's refusal of the session reaches the client as its exception event", async () => {
    const s = openSession(client, "amazon.nova-2-sonic-v1:0");
    open(s);
    close(s);
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /model identifier is invalid/);
  });
});
