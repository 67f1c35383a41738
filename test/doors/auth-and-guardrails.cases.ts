// The OpenAI and Anthropic doors with auth on and a guardrail configured once on the model: each door takes
// the credentials its own SDK sends (OpenAI: Bearer; Anthropic: x-api-key or Bearer; both: a SigV4 signature,
// as Bedrock's /openai/v1 does), refuses others in its own error shape, and the model's guardrail screens
// calls from every door — Converse included — without the caller asking for it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { h1Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";

const API_KEY = "ABSKQmFzYWx0RG9vcnNUZXN0S2V5MDAwMDAwMDA=";
const ADMIN_KEY = "doors-admin-key-for-the-tests";
const CREDENTIALS = { accessKeyId: "AKIDDOORSTEST000", secretAccessKey: "doors-test-secret" };
const GUARDED = "guarded.echo";
const BLOCKED_INPUT = "Sorry, that topic is off limits here.";
const BLOCKED_OUTPUT = "Sorry, I cannot say that.";

let basalt: RunningBasalt;

before(async () => {
  const config = writeConfig(`
models:
  - { id: basalt.echo, provider: echo }
  - id: ${GUARDED}
    provider: echo
    guardrailConfig: { guardrailIdentifier: doorguard, guardrailVersion: "1" }
guardrails:
  - id: doorguard
    name: door-guard
    blockedInputMessaging: "${BLOCKED_INPUT}"
    blockedOutputsMessaging: "${BLOCKED_OUTPUT}"
    wordPolicyConfig: { wordsConfig: [{ text: "Project Nightingale" }] }
auth:
  keys:
    - { name: sdk-team, accessKeyId: ${CREDENTIALS.accessKeyId}, secretAccessKey: "${CREDENTIALS.secretAccessKey}" }
    - { name: tools, apiKey: "${API_KEY}" }
  adminKey: "${ADMIN_KEY}"
`);
  basalt = await startBasalt({ config });
});
after(async () => void (await basalt.stop()));

const openai = (apiKey: string) => new OpenAI({ baseURL: `${basalt.url}/openai/v1`, apiKey, maxRetries: 0 });
const anthropic = (opts: { apiKey?: string; authToken?: string }) =>
  new Anthropic({ baseURL: `${basalt.url}/anthropic`, apiKey: opts.apiKey ?? null, authToken: opts.authToken ?? null, maxRetries: 0 });

/** A fetch signed with SigV4 the way an AWS SDK signs a Bedrock call (service `bedrock`). */
async function signedFetch(path: string, body: unknown): Promise<Response> {
  const url = new URL(path, basalt.url);
  const signer = new SignatureV4({ service: "bedrock", region: "us-east-1", credentials: CREDENTIALS, sha256: Sha256 });
  const json = JSON.stringify(body);
  const signed = await signer.sign({
    method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname,
    headers: { host: url.host, "content-type": "application/json" }, body: json,
  });
  return fetch(url, { method: "POST", headers: signed.headers, body: json });
}

test("OpenAI door: the configured API key as Bearer is accepted; a wrong or missing one is a 401/403 in OpenAI's shape", async () => {
  const ok = await openai(API_KEY).chat.completions.create({ model: "basalt.echo", messages: [{ role: "user", content: "keyed in" }] });
  assert.equal(ok.choices[0].message.content, "keyed in");
  for (const key of ["ABSKbm90LWEta2V5LWF0LWFsbA==", "sk-not-bedrock"]) {
    await assert.rejects(openai(key).chat.completions.create({ model: "basalt.echo", messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError, String(err));
      assert.ok(err.status === 401 || err.status === 403, `status ${err.status}`);
      assert.equal(typeof (err.error as { message?: unknown }).message, "string", "OpenAI's error shape: { error: { message } }");
      assert.ok(!JSON.stringify(err.error).includes(key), "the refused key is not echoed back");
      return true;
    });
  }
  const none = await fetch(`${basalt.url}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "basalt.echo", messages: [{ role: "user", content: "x" }] }),
  });
  assert.ok(none.status === 401 || none.status === 403, `status ${none.status}`);
  assert.equal(typeof ((await none.json()) as { error: { message: string } }).error.message, "string");
});

test("a key either door cannot use is a 401 the SDKs raise as AuthenticationError, as OpenAI and Anthropic answer it", async () => {
  for (const key of ["ABSKbm90LWEta2V5LWF0LWFsbA==", "sk-not-bedrock"]) {
    await assert.rejects(openai(key).chat.completions.create({ model: "basalt.echo", messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.AuthenticationError, String(err));
      assert.equal(err.status, 401);
      assert.equal(err.code, "invalid_api_key");
      return true;
    });
    await assert.rejects(anthropic({ apiKey: key }).messages.create({ model: "basalt.echo", max_tokens: 20, messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.AuthenticationError, String(err));
      assert.equal((err.error as { error?: { type?: string } }).error?.type, "authentication_error");
      return true;
    });
  }
});

test("OpenAI and Anthropic doors accept a SigV4 signature from a configured access key", async () => {
  const chat = await signedFetch("/openai/v1/chat/completions", { model: "basalt.echo", messages: [{ role: "user", content: "signed chat" }] });
  assert.equal(chat.status, 200, await chat.clone().text());
  assert.equal(((await chat.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content, "signed chat");
  const messages = await signedFetch("/anthropic/v1/messages", { model: "basalt.echo", max_tokens: 20, messages: [{ role: "user", content: "signed message" }] });
  assert.equal(messages.status, 200, await messages.clone().text());
  assert.equal(((await messages.json()) as { content: { text: string }[] }).content[0].text, "signed message");
});

test("Anthropic door: x-api-key and Bearer are accepted; a wrong key is an authentication_error", async () => {
  const viaHeader = await anthropic({ apiKey: API_KEY }).messages.create({ model: "basalt.echo", max_tokens: 20, messages: [{ role: "user", content: "x-api-key" }] });
  assert.deepEqual(viaHeader.content, [{ type: "text", text: "x-api-key" }]);
  const viaBearer = await anthropic({ authToken: API_KEY }).messages.create({ model: "basalt.echo", max_tokens: 20, messages: [{ role: "user", content: "bearer" }] });
  assert.deepEqual(viaBearer.content, [{ type: "text", text: "bearer" }]);
  await assert.rejects(anthropic({ apiKey: "ABSKd3Jvbmcta2V5" }).messages.create({ model: "basalt.echo", max_tokens: 20, messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
    assert.ok(err instanceof Anthropic.APIError, String(err));
    assert.ok(err.status === 401 || err.status === 403, `status ${err.status}`);
    assert.equal((err.error as { type?: string }).type, "error", "Anthropic's error envelope");
    return true;
  });
});

test("a model's configured guardrail screens calls from every door, without the caller naming it", async () => {
  const runtime = h1Client(basalt.url, { credentials: CREDENTIALS });
  try {
    const converse = await runtime.send(new ConverseCommand({ modelId: GUARDED, messages: [{ role: "user", content: [{ text: "tell me about Project Nightingale" }] }] }));
    assert.equal(converse.stopReason, "guardrail_intervened");
    assert.equal(converse.output?.message?.content?.[0].text, BLOCKED_INPUT);
    const clean = await runtime.send(new ConverseCommand({ modelId: GUARDED, messages: [{ role: "user", content: [{ text: "tell me about birds" }] }] }));
    assert.equal(clean.stopReason, "end_turn");
    assert.equal(clean.output?.message?.content?.[0].text, "tell me about birds");
  } finally {
    runtime.destroy();
  }

  const chat = await openai(API_KEY).chat.completions.create({ model: GUARDED, messages: [{ role: "user", content: "what is Project Nightingale?" }] });
  assert.equal(chat.choices[0].message.content, BLOCKED_INPUT);
  assert.equal(chat.choices[0].finish_reason, "content_filter");

  const streamed: string[] = [];
  let finish: string | null = null;
  for await (const chunk of await openai(API_KEY).chat.completions.create({ model: GUARDED, stream: true, messages: [{ role: "user", content: "project nightingale, streamed" }] })) {
    streamed.push(chunk.choices[0]?.delta?.content ?? "");
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(streamed.join(""), BLOCKED_INPUT);
  assert.equal(finish, "content_filter");

  const message = await anthropic({ apiKey: API_KEY }).messages.create({ model: GUARDED, max_tokens: 50, messages: [{ role: "user", content: "Project Nightingale please" }] });
  assert.deepEqual(message.content, [{ type: "text", text: BLOCKED_INPUT }]);
  assert.equal(message.stop_reason, "refusal");

  // The answer is screened too: echo repeats the prompt, so a prompt that only spells the phrase out in its
  // answer is not needed — a clean call through the Anthropic door passes untouched.
  const clean = await anthropic({ apiKey: API_KEY }).messages.create({ model: GUARDED, max_tokens: 50, messages: [{ role: "user", content: "hello there" }] });
  assert.deepEqual(clean.content, [{ type: "text", text: "hello there" }]);

  const usage = (await (await fetch(`${basalt.url}/_basalt/usage?groupBy=frontDoor`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { frontDoor: string }[];
  for (const door of ["bedrock", "openai", "anthropic"]) assert.ok(usage.some((r) => r.frontDoor === door), JSON.stringify(usage));
});

test("a call that names its own guardrail keeps it: the model's default does not replace it", async () => {
  const runtime = h1Client(basalt.url, { credentials: CREDENTIALS });
  try {
    await assert.rejects(
      runtime.send(new ConverseCommand({
        modelId: GUARDED, messages: [{ role: "user", content: [{ text: "hi" }] }],
        guardrailConfig: { guardrailIdentifier: "nosuchguard", guardrailVersion: "1" },
      })),
      (err: Error) => err.name === "ValidationException",
    );
  } finally {
    runtime.destroy();
  }
});
