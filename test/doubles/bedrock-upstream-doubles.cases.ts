// Test doubles in front of a `bedrock` provider (a downstream Basalt relaying, re-signed, through a recording
// proxy to an upstream Basalt): without scripts the relay passes bytes through; a script for the model
// answers without the upstream and sends the other calls down the typed path; cassettes tape the relayed
// bytes — JSON and event streams — and replay them with the upstream gone, with no credential or request id
// in the files.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { startRecordingProxy, type RecordingProxy } from "../bedrock/recording-proxy.js";
import { h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { invoke, invokeStream } from "../invoke/harness.js";
import { Admin, ANTHROPIC_VERSION, readStream } from "./harness.js";

const CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";
const KEY = { id: "AKIDDOUBLESRELAY", secret: "doubles-relay-secret-value" };
const ENV = { AWS_ACCESS_KEY_ID: KEY.id, AWS_SECRET_ACCESS_KEY: KEY.secret, AWS_PROFILE: "", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };

let upstream: RunningBasalt;
let proxy: RecordingProxy;
before(async () => {
  upstream = await startBasalt({ config: writeConfig(`models:\n  - { id: "${CLAUDE}", provider: echo }\n`) });
  proxy = await startRecordingProxy(upstream.url, { [KEY.id]: KEY.secret });
});
after(async () => {
  await proxy.close();
  await upstream.stop();
});

const downstream = (endpoint: string, cassettes = "") => startBasalt({
  config: writeConfig(`
providers:
  aws: { type: bedrock, region: us-east-1, endpoint: "${endpoint}" ${cassettes} }
models:
  - { id: "${CLAUDE}", provider: aws }
`),
  env: ENV,
});

const body = (text: string) => ({ anthropic_version: ANTHROPIC_VERSION, max_tokens: 50, messages: [{ role: "user", content: text }] });
const lastAction = () => proxy.exchanges.at(-1)!.request.path.split("/").at(-1);

test("scripts over a relaying backend: relay while no script can match, typed path while one can", async () => {
  const basalt = await downstream(proxy.url);
  const client = h2Client(basalt.url);
  const admin = new Admin(basalt.url);
  try {
    assert.deepEqual((await invoke(client, CLAUDE, body("plain relay"))).content, [{ type: "text", text: "plain relay" }]);
    assert.equal(lastAction(), "invoke", "relayed as is");

    await admin.add({ match: { model: "anthropic.*", text: "scripted" }, respond: { content: [{ text: "from the script" }] } });
    const seen = proxy.exchanges.length;
    assert.deepEqual((await invoke(client, CLAUDE, body("a scripted call"))).content, [{ type: "text", text: "from the script" }]);
    assert.equal(proxy.exchanges.length, seen, "the script answered without the upstream");
    assert.deepEqual((await invoke(client, CLAUDE, body("not this one"))).content, [{ type: "text", text: "not this one" }]);
    assert.equal(lastAction(), "converse", "translated, so the scripts could see it");

    await admin.clear();
    await invoke(client, CLAUDE, body("relay again"));
    assert.equal(lastAction(), "invoke");
  } finally {
    client.destroy();
    await basalt.stop();
  }
});

test("cassettes tape relayed answers and replay them with the upstream gone; no credential or request id in the files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "basalt-relay-cassettes-"));
  // A proxy of its own, so stopping it is "the upstream is gone".
  const ownProxy = await startRecordingProxy(upstream.url, { [KEY.id]: KEY.secret });
  const exercise = async (url: string) => {
    const client = h2Client(url);
    try {
      const invoked = await invoke(client, CLAUDE, body("taped invoke"));
      const chunks = await invokeStream(client, CLAUDE, body("taped stream"));
      const converse = await client.send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: "user", content: [{ text: "taped converse" }] }] }));
      const stream = await readStream((await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: [{ role: "user", content: [{ text: "taped converse stream" }] }] }))).stream);
      return { invoked, chunks, converse: converse.output, stream: stream.events, requestId: converse.$metadata.requestId };
    } finally {
      client.destroy();
    }
  };
  const recorder = await downstream(ownProxy.url, `, cassettes: { mode: record, dir: "${dir}" }`);
  const recorded = await exercise(recorder.url).finally(() => recorder.stop());
  assert.equal(ownProxy.exchanges.length, 4);
  assert.ok(ownProxy.exchanges.every((x) => x.verification.ok), "re-signed requests");
  await ownProxy.close();

  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
  assert.equal(files.length, 4);
  const text = files.map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
  for (const secret of [KEY.id, KEY.secret, String(recorded.requestId), ...ownProxy.exchanges.map((x) => String(x.headers["x-amzn-requestid"]))]) {
    assert.ok(!text.includes(secret), `a cassette contains ${secret}`);
  }
  assert.doesNotMatch(text, /authorization|x-amz-date|x-amz-security|AWS4-HMAC/i);

  const player = await downstream(ownProxy.url, `, cassettes: { mode: replay, dir: "${dir}" }`);
  const replayed = await exercise(player.url).finally(() => player.stop());
  const { requestId: _a, ...live } = recorded;
  const { requestId: _b, ...again } = replayed;
  assert.deepEqual(again, live);
  assert.equal((recorded.invoked as { id: string }).id, (replayed.invoked as { id: string }).id, "the relayed bytes themselves came back");
});
