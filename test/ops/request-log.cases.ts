// Issue 10, item 1: one log line per call, through the real CLI, for a success, a validation error, an
// upstream error and a stream cut mid-way — with the fields an operator needs to explain a 4xx/5xx in CI —
// and no secret (provider API key, SigV4 secret access key, Bedrock API key) in any log line or client-visible
// error. The logged requestId is the x-amzn-requestid the client got.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startOpenAIUpstream, completion, chunk, errorBody, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { callLine, logLines } from "./log-lines.js";

const PROVIDER_KEY = "sk-live-PROVIDERKEY0123456789abcdef";
const TEAM_SECRET = "teamSecretAccessKey/0123456789ABCDEFabcdef";
const BEARER = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtdmFsdWU=";
const SECRETS = [PROVIDER_KEY, TEAM_SECRET, BEARER];

let upstream: FakeOpenAIUpstream;
let basalt: RunningBasalt;
let sigv4: BedrockRuntimeClient;
let bearer: BedrockRuntimeClient;
const clientMessages: string[] = [];

/** The request id the client got back (x-amzn-requestid), from a success or an error. */
async function send<T>(p: Promise<T & { $metadata: { requestId?: string } }>): Promise<{ requestId: string; out?: T; error?: { name: string; message: string } }> {
  try {
    const out = await p;
    return { requestId: out.$metadata.requestId!, out };
  } catch (err) {
    const e = err as Error & { $metadata?: { requestId?: string } };
    clientMessages.push(e.message);
    return { requestId: e.$metadata?.requestId ?? "", error: { name: e.name, message: e.message } };
  }
}

describe("request logs (real CLI)", () => {
  before(async () => {
    upstream = await startOpenAIUpstream();
    const config = writeConfig(`
  providers:
    local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: "\${PROVIDER_KEY}" }
  models:
    - { id: llama.chat, provider: local, model: "llama3.1:8b" }
  auth:
    keys:
      - name: team-a
        accessKeyId: AKIDOPSTEAMA00001
        secretAccessKey: "\${TEAM_SECRET}"
      - name: ci
        apiKey: "\${CI_KEY}"
  `);
    basalt = await startBasalt({ config, env: { PROVIDER_KEY, TEAM_SECRET, CI_KEY: BEARER } });
    sigv4 = new BedrockRuntimeClient({
      endpoint: basalt.url, region: "us-east-1", maxAttempts: 1, requestHandler: new NodeHttpHandler(),
      credentials: { accessKeyId: "AKIDOPSTEAMA00001", secretAccessKey: TEAM_SECRET },
    });
    bearer = new BedrockRuntimeClient({ endpoint: basalt.url, region: "us-east-1", maxAttempts: 1, token: { token: BEARER }, authSchemePreference: ["httpBearerAuth"] });
  });

  after(async () => {
    sigv4?.destroy();
    bearer?.destroy();
    await basalt?.stop();
    await upstream?.close();
  });

  const hi = [{ role: "user" as const, content: [{ text: "hello" }] }];

  describe("one log line per call (real CLI)", () => {
    it("a success: ids, door, operation, model as sent and served, caller, status, latency, tokens, attempts", async () => {
      upstream.enqueue({ json: completion({ content: "Hi there", usage: { prompt: 11, completion: 3 } }) });
      const r = await send(sigv4.send(new ConverseCommand({ modelId: "llama.chat", messages: hi })));
      assert.equal(r.error, undefined);
      const line = await callLine(basalt.output, r.requestId);
      assert.equal(line.level, 30);
      assert.equal(line.requestId, r.requestId);
      assert.equal(line.frontDoor, "bedrock");
      assert.equal(line.operation, "Converse");
      assert.equal(line.modelId, "llama.chat");
      assert.equal(line.provider, "local");
      assert.equal(line.upstreamModel, "llama3.1:8b");
      assert.equal(line.caller, "team-a");
      assert.equal(line.status, 200);
      assert.equal(line.inputTokens, 11);
      assert.equal(line.outputTokens, 3);
      assert.equal(line.attempts, 1);
      assert.equal(typeof line.latencyMs, "number");
      assert.equal(line.error, undefined);
    });

    it("a validation error: warn level, status 400, the exception's name and message", async () => {
      const r = await send(bearer.send(new ConverseCommand({ modelId: "llama.chat", messages: hi, inferenceConfig: { temperature: 7 } })));
      assert.equal(r.error?.name, "ValidationException");
      const line = await callLine(basalt.output, r.requestId);
      assert.equal(line.level, 40);
      assert.equal(line.caller, "ci");
      assert.equal(line.status, 400);
      assert.equal(line.error, "ValidationException");
      assert.equal(line.errorMessage, r.error?.message);
      assert.equal(line.modelId, "llama.chat");
    });

    it("an upstream error: error level, the upstream's status in the attempt, the cause chain; the echoed key is scrubbed", async () => {
      upstream.enqueue({ status: 500, json: errorBody(`Internal error for key ${PROVIDER_KEY}`, "server_error", null) });
      const r = await send(sigv4.send(new ConverseCommand({ modelId: "llama.chat", messages: hi })));
      assert.equal(r.error?.name, "ModelErrorException");
      const line = await callLine(basalt.output, r.requestId);
      assert.equal(line.level, 50);
      assert.equal(line.status, 424);
      assert.equal(line.error, "ModelErrorException");
      assert.equal(line.provider, "local");
      assert.equal(line.upstreamModel, "llama3.1:8b");
      assert.match(String(line.cause), /HTTP 500/);
      assert.match((line.attemptOutcomes as string[]).join(), /^local\/llama3\.1:8b ModelErrorException 500 [\d.]+ms$/);
      assert.match(String(line.errorMessage), /\[redacted\]/);
    });

    it("a stream cut mid-way: status 200, time to first byte, the stream exception", async () => {
      upstream.enqueue({
        sse: [
          { data: chunk({ role: "assistant", content: "" }, { usage: null }) },
          { data: chunk({ content: "partial" }, { usage: null }) },
          // Let the chunks leave before the cut (a destroyed socket drops what is still buffered).
          { delay: 200 },
          { destroy: true },
        ],
      });
      // The stream's exception arrives after the response head: the request id is the head's.
      const out = await sigv4.send(new ConverseStreamCommand({ modelId: "llama.chat", messages: hi }));
      const r = { requestId: out.$metadata.requestId!, error: undefined as { name: string } | undefined, texts: [] as string[] };
      try {
        for await (const event of out.stream!) if (event.contentBlockDelta?.delta?.text) r.texts.push(event.contentBlockDelta.delta.text);
      } catch (err) {
        clientMessages.push((err as Error).message);
        r.error = { name: (err as Error).name };
      }
      assert.deepEqual(r.texts, ["partial"]);
      assert.equal(r.error?.name, "ModelStreamErrorException");
      const line = await callLine(basalt.output, r.requestId);
      assert.equal(line.operation, "ConverseStream");
      assert.equal(line.status, 200);
      assert.equal(line.error, "ModelStreamErrorException");
      assert.equal(typeof line.ttftMs, "number");
      assert.equal(line.level, 50);
    });

    it("the start-up line says what is served; no secret in any log line or client-visible message", () => {
      const out = basalt.output();
      const lines = logLines(out);
      assert.ok(lines.some((l) => /basalt listening on/.test(l.msg)));
      for (const secret of SECRETS) {
        assert.equal(out.includes(secret), false, `a secret reached the log:\n${out}`);
        for (const m of clientMessages) assert.equal(m.includes(secret), false, `a secret reached a client: ${m}`);
      }
      // The upstream really was sent the key (so the test would notice if it were logged).
      assert.equal(upstream.requests[0].headers.authorization, `Bearer ${PROVIDER_KEY}`);
    });
  });
});
