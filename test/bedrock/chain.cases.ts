// Two Basalt servers chained: the downstream's `bedrock` provider re-signs each request and passes it through
// a recording proxy to an upstream Basalt serving the echo model. Asserts what the client got (through the
// official SDK) and what the upstream received (path with the mapped model id, a valid SigV4 signature).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { startRecordingProxy, type Exchange, type RecordingProxy } from "./recording-proxy.js";
import { TeeHttp2Handler, TeeHttpHandler } from "./tee-handler.js";

const ENV_KEY = { id: "AKIDCHAINENV", secret: "chain-env-secret" };
const PROFILE_KEY = { id: "AKIDCHAINPROFILE", secret: "chain-profile-secret" };
const KEYS = { [ENV_KEY.id]: ENV_KEY.secret, [PROFILE_KEY.id]: PROFILE_KEY.secret };

const UPSTREAM_ID = "upstream.echo-v1:0";
const SERVED_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
const user = (text: string) => [{ role: "user" as const, content: [{ text }] }];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Accepts connections and never answers. */
async function startSilentServer(): Promise<{ server: Server; sockets: Set<Socket>; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, sockets, port: (server.address() as { port: number }).port };
}

async function waitFor<T>(get: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function sendError(client: BedrockRuntimeClient, command: ConverseCommand | CountTokensCommand): Promise<{ name: string; message: string; status?: number }> {
  try {
    await client.send(command as ConverseCommand);
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected an error");
}

describe("bedrock provider: Basalt chained to Basalt", () => {
  let upstream: InProcessBasalt;
  let downstream: RunningBasalt;
  let proxy: RecordingProxy;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  const newExchange = async (before: number): Promise<Exchange> => waitFor(() => proxy.exchanges[before], "the proxy's exchange");

  before(async () => {
    upstream = await startInProcess({ config: `models:\n  - { id: "${UPSTREAM_ID}", provider: echo, family: echo }\n` });
    proxy = await startRecordingProxy(upstream.url, KEYS);
    silent = await startSilentServer();
    const credentialsFile = join(tmpdir(), `basalt-chain-credentials-${process.pid}`);
    writeFileSync(credentialsFile, `[chain-test]\naws_access_key_id = ${PROFILE_KEY.id}\naws_secret_access_key = ${PROFILE_KEY.secret}\n`);
    const config = writeConfig(`
providers:
  aws:      { type: bedrock, region: us-east-1, endpoint: "${proxy.url}" }
  profiled: { type: bedrock, region: us-east-1, endpoint: "${proxy.url}", profile: chain-test }
  nocreds:  { type: bedrock, region: us-east-1, endpoint: "${proxy.url}", profile: no-such-profile }
  refused:  { type: bedrock, region: us-east-1, endpoint: "http://127.0.0.1:${await freePort()}" }
  slow:     { type: bedrock, region: us-east-1, endpoint: "${proxy.url}", timeoutMs: 600 }
  silent:   { type: bedrock, region: us-east-1, endpoint: "http://127.0.0.1:${silent.port}", timeoutMs: 400 }
models:
  - { id: "${SERVED_ID}", provider: aws, model: "${UPSTREAM_ID}" }
  - { id: "missing.model-v1:0", provider: aws, model: "no.such-model-v9:0" }
  - { id: "relay.echo", provider: aws, model: "${UPSTREAM_ID}", family: echo }
  - { id: "profiled.echo", provider: profiled, model: "${UPSTREAM_ID}" }
  - { id: "nocreds.echo", provider: nocreds, model: "${UPSTREAM_ID}" }
  - { id: "refused.echo", provider: refused, model: "${UPSTREAM_ID}" }
  - { id: "slow.echo", provider: slow, model: "${UPSTREAM_ID}" }
  - { id: "silent.echo", provider: silent, model: "${UPSTREAM_ID}" }
`);
    downstream = await startBasalt({
      config,
      env: {
        AWS_ACCESS_KEY_ID: ENV_KEY.id,
        AWS_SECRET_ACCESS_KEY: ENV_KEY.secret,
        AWS_SESSION_TOKEN: "",
        AWS_PROFILE: "",
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        AWS_CONFIG_FILE: join(tmpdir(), "basalt-no-such-aws-config"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
        AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
        AWS_WEB_IDENTITY_TOKEN_FILE: "",
      },
    });
  });

  after(async () => {
    await downstream?.stop();
    await upstream?.stop();
    await proxy?.close();
    for (const s of silent?.sockets ?? []) s.destroy();
    silent?.server.close();
  });

  for (const [transport, makeClient] of [["HTTP/2", h2Client], ["HTTP/1.1", h1Client]] as const) {
    it(`Converse over ${transport}: upstream got a validly signed request for the mapped model id`, async () => {
      const client = makeClient(downstream.url);
      const before = proxy.exchanges.length;
      // A cross-region profile id and an ARN resolve to the same served model; upstream sees the mapped id.
      for (const modelId of [SERVED_ID, `us.${SERVED_ID}`, `arn:aws:bedrock:us-east-1::foundation-model/${SERVED_ID}`]) {
        const n = proxy.exchanges.length;
        const out = await client.send(new ConverseCommand({ modelId, messages: user("hello from the chain"), inferenceConfig: { maxTokens: 50 } }));
        assert.deepEqual(out.output, { message: { role: "assistant", content: [{ text: "hello from the chain" }] } });
        assert.equal(out.stopReason, "end_turn");
        const ex = await newExchange(n);
        assert.equal(ex.request.path, "/model/upstream.echo-v1%3A0/converse");
        assert.ok(ex.verification.ok, JSON.stringify(ex.verification));
        assert.equal(ex.verification.ok && ex.verification.accessKeyId, ENV_KEY.id);
        assert.deepEqual(JSON.parse(ex.request.body.toString()), { messages: user("hello from the chain"), inferenceConfig: { maxTokens: 50 } });
        // The client never sees its own signature forwarded; the upstream's request id comes back.
        assert.notEqual(ex.request.headers.authorization, undefined);
        assert.equal(out.$metadata.requestId, ex.headers["x-amzn-requestid"]);
        assert.equal(JSON.stringify(out.usage), JSON.stringify(JSON.parse(ex.sent.toString()).usage));
      }
      assert.equal(proxy.exchanges.length, before + 3);
      client.destroy();
    });

    it(`ConverseStream over ${transport}: frames relayed byte-identical, first event before the upstream finishes`, async () => {
      const handler = transport === "HTTP/2" ? new TeeHttp2Handler() : new TeeHttpHandler();
      const client = makeClient(downstream.url, { requestHandler: handler });
      let openGate!: () => void;
      proxy.behaviour = { gate: new Promise<void>((r) => (openGate = r)) };
      const n = proxy.exchanges.length;
      try {
        const res = await client.send(new ConverseStreamCommand({ modelId: SERVED_ID, messages: user("one two three four") }));
        const events: Record<string, unknown>[] = [];
        const gateTimer = setTimeout(openGate, 3000);
        for await (const e of res.stream!) {
          // Only one frame has left the upstream so far: the relay must not wait for more.
          if (events.length === 0) assert.ok(!proxy.exchanges[n], "upstream already finished before the first event arrived");
          events.push(e as unknown as Record<string, unknown>);
          if (events.length === 1) {
            clearTimeout(gateTimer);
            openGate();
          }
        }
        const text = events.flatMap((e) => {
          const d = e.contentBlockDelta as { delta?: { text?: string } } | undefined;
          return d?.delta?.text ?? [];
        });
        assert.equal(text.join(""), "one two three four");
        assert.deepEqual(Object.keys(events[0]), ["messageStart"]);
        assert.ok(events.some((e) => "metadata" in e));
        const ex = await newExchange(n);
        assert.equal(ex.request.path, "/model/upstream.echo-v1%3A0/converse-stream");
        assert.ok(ex.verification.ok, JSON.stringify(ex.verification));
        // The proxy padded every event with `p` (as real Bedrock does): a decode/re-encode would lose it.
        assert.ok(ex.sent.includes('"p":"abcde'));
        assert.ok(Buffer.concat(handler.received).equals(ex.sent), "client bytes differ from upstream bytes");
      } finally {
        proxy.behaviour = {};
        client.destroy();
      }
    });
  }

  it("CountTokens passes through", async () => {
    const client = h2Client(downstream.url);
    const n = proxy.exchanges.length;
    const out = await client.send(new CountTokensCommand({ modelId: SERVED_ID, input: { converse: { messages: user("a b c d e") } } }));
    assert.equal(out.inputTokens, 5);
    const ex = await newExchange(n);
    assert.equal(ex.request.path, "/model/upstream.echo-v1%3A0/count-tokens");
    assert.ok(ex.verification.ok);
    client.destroy();
  });

  it("InvokeModel and InvokeModelWithResponseStream pass through the same hook", async () => {
    const handler = new TeeHttp2Handler();
    const client = h2Client(downstream.url, { requestHandler: handler });
    let n = proxy.exchanges.length;
    const out = await client.send(new InvokeModelCommand({ modelId: "relay.echo", contentType: "application/json", body: JSON.stringify({ inputText: "native body" }) }));
    let ex = await newExchange(n);
    assert.equal(ex.request.path, "/model/upstream.echo-v1%3A0/invoke");
    assert.ok(ex.verification.ok, JSON.stringify(ex.verification));
    assert.deepEqual(JSON.parse(ex.request.body.toString()), { inputText: "native body" });
    assert.equal(Buffer.from(out.body).toString(), ex.sent.toString());
    assert.equal(out.contentType, ex.headers["content-type"]);

    n = proxy.exchanges.length;
    const before = Buffer.concat(handler.received).length;
    const res = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: "relay.echo", body: JSON.stringify({ inputText: "a b c" }) }));
    let chunks = 0;
    for await (const e of res.body!) if (e.chunk) chunks++;
    assert.ok(chunks > 0);
    ex = await newExchange(n);
    assert.equal(ex.request.path, "/model/upstream.echo-v1%3A0/invoke-with-response-stream");
    assert.ok(ex.verification.ok);
    assert.ok(Buffer.concat(handler.received).subarray(before).equals(ex.sent));
    client.destroy();
  });

  it("credentials from a profile in the shared credentials file", async () => {
    const client = h1Client(downstream.url);
    const n = proxy.exchanges.length;
    await client.send(new ConverseCommand({ modelId: "profiled.echo", messages: user("hi") }));
    const ex = await newExchange(n);
    assert.ok(ex.verification.ok, JSON.stringify(ex.verification));
    assert.equal(ex.verification.ok && ex.verification.accessKeyId, PROFILE_KEY.id);
    client.destroy();
  });

  it("bad input is answered by the downstream itself and never sent upstream", async () => {
    const client = h2Client(downstream.url);
    const n = proxy.exchanges.length;
    const err = await sendError(client, new ConverseCommand({ modelId: SERVED_ID, messages: user("x"), inferenceConfig: { temperature: 5 } }));
    assert.equal(err.name, "ValidationException");
    assert.equal(err.status, 400);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(proxy.exchanges.length, n);
    client.destroy();
  });

  it("an upstream error is relayed as it is (status, type, message)", async () => {
    const client = h2Client(downstream.url);
    const n = proxy.exchanges.length;
    const err = await sendError(client, new ConverseCommand({ modelId: "missing.model-v1:0", messages: user("x") }));
    const ex = await newExchange(n);
    assert.equal(ex.request.path, "/model/no.such-model-v9%3A0/converse");
    assert.equal(ex.status, 400);
    assert.deepEqual(err, { name: "ValidationException", message: JSON.parse(ex.sent.toString()).message, status: 400 });
    // ConverseStream: an error before the first event is an HTTP error too.
    const streamErr = await client.send(new ConverseStreamCommand({ modelId: "missing.model-v1:0", messages: user("x") })).then(
      () => undefined,
      (e: Error) => e.name,
    );
    assert.equal(streamErr, "ValidationException");
    client.destroy();
  });

  it("a stream cut mid-frame upstream ends with an exception event, not a silent cut", async () => {
    const client = h2Client(downstream.url);
    proxy.behaviour = { cutAfterFrames: 2 };
    try {
      const res = await client.send(new ConverseStreamCommand({ modelId: SERVED_ID, messages: user("one two three four") }));
      const seen: string[] = [];
      const err = await (async () => {
        for await (const e of res.stream!) seen.push(Object.keys(e)[0]);
      })().then(() => undefined, (e: Error) => e);
      assert.deepEqual(seen, ["messageStart", "contentBlockDelta"]);
      assert.equal(err?.name, "ModelStreamErrorException");
    } finally {
      proxy.behaviour = {};
      client.destroy();
    }
  });

  it("an upstream that stalls mid-stream past timeoutMs ends with an exception event", async () => {
    const client = h2Client(downstream.url);
    proxy.behaviour = { stallAfterFrames: 1 };
    try {
      const res = await client.send(new ConverseStreamCommand({ modelId: "slow.echo", messages: user("one two three") }));
      const seen: string[] = [];
      const started = Date.now();
      const err = await (async () => {
        for await (const e of res.stream!) seen.push(Object.keys(e)[0]);
      })().then(() => undefined, (e: Error) => e);
      assert.deepEqual(seen, ["messageStart"]);
      // ModelTimeoutException is not a ConverseStream union member: it travels as a model stream error.
      assert.equal(err?.name, "ModelStreamErrorException");
      assert.match(err?.message ?? "", /timed out/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      proxy.behaviour = {};
      client.destroy();
    }
  });

  it("an upstream that never answers → ModelTimeoutException", async () => {
    const client = h1Client(downstream.url);
    const started = Date.now();
    const err = await sendError(client, new ConverseCommand({ modelId: "silent.echo", messages: user("x") }));
    assert.deepEqual(err, { name: "ModelTimeoutException", message: "Model has timed out in processing the request. Try your request again.", status: 408 });
    assert.ok(Date.now() - started < 5000);
    client.destroy();
  });

  it("connection refused → ServiceUnavailableException", async () => {
    const client = h2Client(downstream.url);
    const err = await sendError(client, new ConverseCommand({ modelId: "refused.echo", messages: user("x") }));
    assert.equal(err.name, "ServiceUnavailableException");
    assert.equal(err.status, 503);
    assert.match(err.message, /provider refused is unavailable \(ECONNREFUSED\)/);
    client.destroy();
  });

  it("no credentials → AccessDeniedException saying what to set", async () => {
    const client = h2Client(downstream.url);
    const n = proxy.exchanges.length;
    const err = await sendError(client, new ConverseCommand({ modelId: "nocreds.echo", messages: user("x") }));
    assert.equal(err.name, "AccessDeniedException");
    assert.equal(err.status, 403);
    assert.match(err.message, /no AWS credentials for provider nocreds \(profile no-such-profile\)/);
    assert.match(err.message, /AWS_ACCESS_KEY_ID/);
    assert.equal(proxy.exchanges.length, n);
    client.destroy();
  });

  it("secrets never reach the logs", () => {
    assert.ok(!downstream.output().includes(ENV_KEY.secret));
    assert.ok(!downstream.output().includes(PROFILE_KEY.secret));
  });
});
