// Auth end to end: a Basalt process with an `auth` section, driven by the official clients (JS SDK over
// HTTP/2 and HTTP/1.1, boto3, Anthropic's Bedrock SDK, the control-plane SDK). Correct keys pass for every
// operation; each refusal surfaces as the named SDK exception with the real service's status and wording.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, InvokeModelCommand, type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { BedrockClient, ListFoundationModelsCommand } from "@aws-sdk/client-bedrock";
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import { getToken } from "@aws/bedrock-token-generator";
import { h1Client, h2Client, transports } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { hasBoto3, presignedConverse } from "./signed-requests.js";

const CI_KEY = "ABSK-ci-key-for-the-tests-0123456789";
const ADMIN_KEY = "basalt-admin-key-for-the-tests";
const SIGNATURE_MISMATCH = /^The request signature we calculated does not match the signature you provided\./;
const ENV = { TEAM_A_SECRET: "basalt-test-secret", CI_BEDROCK_API_KEY: CI_KEY, BASALT_ADMIN_KEY: ADMIN_KEY };
const CONFIG = `
models:
  - { id: basalt.echo, provider: echo }
  - { id: anthropic.claude-echo, provider: echo }
  - { id: other.echo, provider: echo }
auth:
  keys:
    - name: team-a
      accessKeyId: AKIDBASALTTEST
      secretAccessKey: "\${TEAM_A_SECRET}"
      models: ["basalt.echo", "anthropic.*"]
    - name: ci
      apiKey: "\${CI_BEDROCK_API_KEY}"
  adminKey: "\${BASALT_ADMIN_KEY}"
`;
const messages = (text: string) => [{ role: "user" as const, content: [{ text }] }];
const CLAUDE_BODY = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 20, messages: [{ role: "user", content: "hi claude" }] });

/** The SDK exception a call ends with: name, HTTP status and message. */
async function refusal(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  assert.fail("the call passed");
}

/** Changes the request after the SDK has signed it (the deserialize step runs after signing). */
function afterSigning(client: BedrockRuntimeClient, change: (request: { headers: Record<string, string>; body?: unknown }) => void): BedrockRuntimeClient {
  client.middlewareStack.add((next) => async (args) => {
    change(args.request as { headers: Record<string, string>; body?: unknown });
    return next(args);
  }, { step: "deserialize", name: "tamperAfterSigning" });
  return client;
}

let basalt: RunningBasalt;
before(async () => {
  basalt = await startBasalt({ config: writeConfig(CONFIG), env: ENV });
});
after(async () => void (await basalt?.stop()));

describe("auth: the configured keys pass for every operation", () => {
  for (const [transport, make] of transports) {
    it(`SigV4 over ${transport}: Converse, ConverseStream, InvokeModel, CountTokens`, async () => {
      const client = make(basalt.url);
      try {
        const r = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: messages("signed hello") }));
        assert.equal(r.output?.message?.content?.[0].text, "signed hello");
        const s = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: messages("signed stream") }));
        let text = "";
        for await (const e of s.stream!) text += e.contentBlockDelta?.delta?.text ?? "";
        assert.equal(text, "signed stream");
        const inv = await client.send(new InvokeModelCommand({ modelId: "anthropic.claude-echo", body: CLAUDE_BODY, contentType: "application/json" }));
        assert.equal(JSON.parse(Buffer.from(inv.body).toString()).content[0].text, "hi claude");
        const c = await client.send(new CountTokensCommand({ modelId: "basalt.echo", input: { converse: { messages: messages("one two three") } } }));
        assert.equal(c.inputTokens, 3);
      } finally {
        client.destroy();
      }
    });
  }

  it("a long-term Bedrock API key through the SDK's token option", async () => {
    const client = h2Client(basalt.url, { token: { token: CI_KEY }, authSchemePreference: ["httpBearerAuth"] });
    try {
      const r = await client.send(new ConverseCommand({ modelId: "other.echo", messages: messages("bearer hello") }));
      assert.equal(r.output?.message?.content?.[0].text, "bearer hello");
    } finally {
      client.destroy();
    }
  });

  it("a short-term key minted by @aws/bedrock-token-generator passes; one past its expiry fails", async () => {
    const credentials = { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" };
    const token = await getToken({ credentials, region: "us-west-2" });
    const shortLived = await getToken({ credentials, region: "us-west-2", expiresInSeconds: 1 });
    const client = h1Client(basalt.url, { token: { token }, authSchemePreference: ["httpBearerAuth"] });
    const expiring = h2Client(basalt.url, { token: { token: shortLived }, authSchemePreference: ["httpBearerAuth"] });
    try {
      const r = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: messages("short-term hello") }));
      assert.equal(r.output?.message?.content?.[0].text, "short-term hello");
      await sleep(2_100);
      assert.deepEqual(await refusal(expiring.send(new ConverseCommand({ modelId: "basalt.echo", messages: messages("late") }))),
        { name: "AccessDeniedException", status: 403, message: "Authentication failed: The API Key has expired." });
      // The allow-list of the key it was minted from applies.
      const denied = await refusal(client.send(new ConverseCommand({ modelId: "other.echo", messages: messages("x") })));
      assert.equal(denied.name, "AccessDeniedException");
      assert.match(denied.message, /arn:aws:bedrock:us-west-2::foundation-model\/other\.echo/);
    } finally {
      client.destroy();
      expiring.destroy();
    }
  });

  it("Anthropic's Bedrock SDK signs with SigV4 and passes; a wrong secret is a 403", async () => {
    const good = new AnthropicBedrock({ baseURL: basalt.url, awsRegion: "us-east-1", awsAccessKey: "AKIDBASALTTEST", awsSecretKey: "basalt-test-secret", maxRetries: 0 });
    const msg = await good.messages.create({ model: "anthropic.claude-echo", max_tokens: 20, messages: [{ role: "user", content: "anthropic sdk" }] });
    assert.deepEqual(msg.content, [{ type: "text", text: "anthropic sdk" }]);
    const bad = new AnthropicBedrock({ baseURL: basalt.url, awsRegion: "us-east-1", awsAccessKey: "AKIDBASALTTEST", awsSecretKey: "wrong", maxRetries: 0 });
    const err = await refusal(bad.messages.create({ model: "anthropic.claude-echo", max_tokens: 20, messages: [{ role: "user", content: "x" }] }));
    assert.equal(err.name, "PermissionDeniedError");
    assert.match(err.message, /^403 .*The request signature we calculated does not match/);
  });

  it("a presigned (query-string) Converse passes over plain HTTP", async () => {
    const req = await presignedConverse({ accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret", host: new URL(basalt.url).host, modelId: "basalt.echo" });
    const r = await fetch(basalt.url + req.path, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.from(req.body!) as unknown as BodyInit });
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal((await r.json()).output.message.content[0].text, "hello  there, signer");
  });
});

describe("auth: each refusal is the real service's exception", () => {
  for (const [transport, make] of transports) {
    it(`over ${transport}`, async () => {
      const send = (client: BedrockRuntimeClient, modelId = "basalt.echo") =>
        refusal(client.send(new ConverseCommand({ modelId, messages: messages("refuse me") })).finally(() => client.destroy()));

      const none = afterSigning(make(basalt.url), (r) => {
        delete r.headers.authorization;
        delete r.headers["x-amz-date"];
      });
      assert.deepEqual(await send(none), { name: "MissingAuthenticationTokenException", status: 403, message: "Missing Authentication Token" });

      const unknown = make(basalt.url, { credentials: { accessKeyId: "AKIDSOMEBODYELSE", secretAccessKey: "basalt-test-secret" } });
      assert.deepEqual(await send(unknown), { name: "UnrecognizedClientException", status: 403, message: "The security token included in the request is invalid." });

      const wrong = await send(make(basalt.url, { credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "not-the-secret" } }));
      assert.deepEqual([wrong.name, wrong.status], ["InvalidSignatureException", 403]);
      assert.match(wrong.message, SIGNATURE_MISMATCH);

      // The body is changed after signing; the signed x-amz-content-sha256 no longer matches it.
      const tampered = await send(afterSigning(make(basalt.url), (r) => {
        const text = typeof r.body === "string" ? r.body : new TextDecoder().decode(r.body as Uint8Array);
        r.body = text.replace("refuse me", "REFUSE ME");
      }));
      assert.deepEqual(tampered, { name: "InvalidSignatureException", status: 403, message: "The provided 'x-amz-content-sha256' header does not match what was computed." });

      const headerTampered = await send(afterSigning(make(basalt.url), (r) => {
        r.headers["x-amz-user-agent"] = "someone-else";
      }));
      assert.equal(headerTampered.name, "InvalidSignatureException");

      const skewed = await send(make(basalt.url, { systemClockOffset: -16 * 60_000 }));
      assert.deepEqual([skewed.name, skewed.status], ["InvalidSignatureException", 403]);
      assert.match(skewed.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);

      const badKey = await send(make(basalt.url, { token: { token: "ABSK-not-a-key-we-know-000000" }, authSchemePreference: ["httpBearerAuth"] }));
      assert.deepEqual(badKey, { name: "AccessDeniedException", status: 403, message: "Authentication failed: Please make sure your API Key is valid." });

      const unlisted = await send(make(basalt.url), "other.echo");
      assert.deepEqual(unlisted, {
        name: "AccessDeniedException", status: 403,
        message: "User: arn:aws:iam::000000000000:user/team-a is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/other.echo because no identity-based policy allows the bedrock:InvokeModel action",
      });
    });
  }

  it("the allow-list names the streaming action for ConverseStream and applies to CountTokens", async () => {
    const client = h2Client(basalt.url);
    try {
      const stream = await refusal(client.send(new ConverseStreamCommand({ modelId: "other.echo", messages: messages("x") })));
      assert.equal(stream.name, "AccessDeniedException");
      assert.match(stream.message, /perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model\/other\.echo/);
      const count = await refusal(client.send(new CountTokensCommand({ modelId: "other.echo", input: { converse: { messages: messages("x") } } })));
      assert.match(count.message, /perform: bedrock:CountTokens on/);
    } finally {
      client.destroy();
    }
  });

  it("an unknown route without credentials is refused before it is looked up, as AWS does", async () => {
    const r = await fetch(`${basalt.url}/no/such/route`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(r.status, 403);
    assert.match(r.headers.get("x-amzn-errortype") ?? "", /^MissingAuthenticationTokenException/);
    assert.deepEqual(await r.json(), { message: "Missing Authentication Token" });
  });

  it("the control-plane door is behind the same keys", async () => {
    const client = new BedrockClient({ endpoint: basalt.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKIDNOBODY0000", secretAccessKey: "x-secret" } });
    try {
      assert.equal((await refusal(client.send(new ListFoundationModelsCommand({})))).name, "UnrecognizedClientException");
    } finally {
      client.destroy();
    }
    const known = new BedrockClient({ endpoint: basalt.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" } });
    try {
      const r = await known.send(new ListFoundationModelsCommand({})).then(() => undefined, (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
      assert.notEqual(r, 403);
    } finally {
      known.destroy();
    }
  });

  it("boto3: every operation with SigV4, a long-term and a short-term key; each refusal by its error code", { skip: !hasBoto3 && "python3 boto3 not installed" }, async () => {
    const credentials = { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" };
    const shortTerm = await getToken({ credentials, region: "eu-west-1" });
    const expired = await getToken({ credentials, region: "eu-west-1", expiresInSeconds: 1 });
    await sleep(2_100);
    const script = fileURLToPath(new URL("./python/boto3_auth.py", import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };
    for (const name of ["AWS_BEARER_TOKEN_BEDROCK", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) delete env[name];
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("python3", [script, basalt.url, shortTerm, expired], { env, timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
    );
    const r = JSON.parse(stdout);
    const ok = { converse: "hello from boto3", stream: "metadata", invoke: "hi there", count: 3 };
    assert.deepEqual([r.sigv4, r.bearer, r.shortTerm], [ok, ok, ok]);
    assert.deepEqual(r.unsigned, { code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 403 });
    assert.deepEqual(r.unknownKey, { code: "UnrecognizedClientException", message: "The security token included in the request is invalid.", status: 403 });
    assert.equal(r.wrongSecret.code, "InvalidSignatureException");
    assert.match(r.wrongSecret.message, SIGNATURE_MISMATCH);
    assert.deepEqual(r.badApiKey, { code: "AccessDeniedException", message: "Authentication failed: Please make sure your API Key is valid.", status: 403 });
    assert.deepEqual(r.expired, { code: "AccessDeniedException", message: "Authentication failed: The API Key has expired.", status: 403 });
    assert.equal(r.notAllowed.code, "AccessDeniedException");
    assert.match(r.notAllowed.message, /^User: arn:aws:iam::000000000000:user\/team-a is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-west-1::foundation-model\/other\.echo/);
  });
});

describe("auth: the admin routes", () => {
  const get = (path: string, authorization?: string) =>
    fetch(basalt.url + path, { headers: authorization ? { authorization } : {} }).then(async (r) => ({ status: r.status, type: (r.headers.get("x-amzn-errortype") ?? "").split(":")[0] }));

  it("need the admin key; runtime keys and SigV4 do not open them", async () => {
    assert.deepEqual(await get("/_basalt/ready"), { status: 403, type: "MissingAuthenticationTokenException" });
    assert.deepEqual(await get("/_basalt/ready", `Bearer ${CI_KEY}`), { status: 403, type: "AccessDeniedException" });
    assert.deepEqual(await get("/_basalt/no-such-route"), { status: 403, type: "MissingAuthenticationTokenException" });
    assert.deepEqual(await get("/_basalt/ready", `Bearer ${ADMIN_KEY}`), { status: 200, type: "" });
    assert.deepEqual(await get("/_basalt/no-such-route", `Bearer ${ADMIN_KEY}`), { status: 404, type: "UnknownOperationException" });
  });

  it("leave the liveness probe open", async () => {
    const r = await fetch(`${basalt.url}/_basalt/health`);
    assert.deepEqual([r.status, await r.json()], [200, { status: "ok" }]);
  });
});
