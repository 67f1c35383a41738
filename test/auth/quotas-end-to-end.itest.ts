// Quotas end to end through the official clients: requests and tokens per minute throttle at exactly the
// right request with the real service's ThrottlingException; two Basalt processes on one real Redis enforce
// one limit together; Redis killed mid-test and calls keep succeeding (counted per node, said in the log and
// in /_basalt/ready).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { startRedis, type RunningRedis } from "../helpers/services.js";
import { hasBoto3 } from "./signed-requests.js";

const ADMIN_KEY = "basalt-admin-key-for-the-tests";
const config = (extra = "") => `
models:
  - { id: basalt.echo, provider: echo }
  - { id: limited.echo, provider: echo, limits: { requestsPerMinute: 2 } }
  - { id: busy.echo, provider: echo, limits: { requestsPerMinute: 100000, tokensPerMinute: 10000000 } }
auth:
  keys:
    - { name: rpm, accessKeyId: AKIDBASALTTEST, secretAccessKey: basalt-test-secret, limits: { requestsPerMinute: 5 } }
    - { name: tpm, accessKeyId: AKIDTOKENS0001, secretAccessKey: tokens-secret, limits: { tokensPerMinute: 20 } }
    - { name: free, accessKeyId: AKIDFREE000001, secretAccessKey: free-secret }
    - { name: other, accessKeyId: AKIDOTHER00001, secretAccessKey: other-secret }
    - { name: py, accessKeyId: AKIDPYTHON0001, secretAccessKey: python-secret, limits: { requestsPerMinute: 2 } }
  adminKey: ${ADMIN_KEY}
${extra}`;
const TOKENS_KEY = { accessKeyId: "AKIDTOKENS0001", secretAccessKey: "tokens-secret" };
const FREE_KEY = { accessKeyId: "AKIDFREE000001", secretAccessKey: "free-secret" };
const OTHER_KEY = { accessKeyId: "AKIDOTHER00001", secretAccessKey: "other-secret" };
/** Echo: n words in, the same n words out. */
const words = (n: number) => [{ role: "user" as const, content: [{ text: Array.from({ length: n }, (_, i) => `w${i}`).join(" ") }] }];

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return `${e.$metadata?.httpStatusCode} ${e.name}: ${e.message}`;
  }
}
const REQUESTS = "429 ThrottlingException: Too many requests, please wait before trying again.";
const TOKENS = "429 ThrottlingException: Too many tokens, please wait before trying again.";
const converse = (client: BedrockRuntimeClient, n = 1, modelId = "basalt.echo") => outcome(client.send(new ConverseCommand({ modelId, messages: words(n) })));

async function ready(url: string): Promise<{ status: string; counters: { store: string; shared: boolean; degraded: boolean } }> {
  const r = await fetch(`${url}/_basalt/ready`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  assert.equal(r.status, 200);
  // Only what these tests are about (ready also reports providers and the version).
  const { status, counters } = (await r.json()) as { status: string; counters: { store: string; shared: boolean; degraded: boolean } };
  return { status, counters };
}

describe("quotas on one node (memory counters)", () => {
  let basalt: RunningBasalt;
  const clients: BedrockRuntimeClient[] = [];
  before(async () => {
    basalt = await startBasalt({ config: writeConfig(config()) });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await basalt.stop();
  });
  const client = (make: typeof h1Client, extra: Record<string, unknown> = {}) => {
    const c = make(basalt.url, extra);
    clients.push(c);
    return c;
  };

  it("requests per minute per key: the 6th of a limit of 5 is throttled, on either transport", async () => {
    const [h2, h1] = [client(h2Client), client(h1Client)];
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await converse(i % 2 ? h1 : h2));
    assert.deepEqual(results, ["ok", "ok", "ok", "ok", "ok", REQUESTS]);
    assert.equal(await converse(client(h2Client, { credentials: FREE_KEY })), "ok", "another key is not affected");
  });

  it("requests per minute per model: all callers together", async () => {
    const free = client(h2Client, { credentials: FREE_KEY });
    const other = client(h1Client, { credentials: OTHER_KEY });
    assert.deepEqual([await converse(free, 1, "limited.echo"), await converse(other, 1, "limited.echo"), await converse(free, 1, "limited.echo")],
      ["ok", "ok", REQUESTS]);
  });

  it("tokens per minute: input counted at admission, output charged when the answer (or the stream) ends", async () => {
    const c = client(h2Client, { credentials: TOKENS_KEY });
    // A stream of 4 in / 4 out: 8 used once it has ended.
    const s = await c.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: words(4) }));
    let usage;
    for await (const e of s.stream!) usage = e.metadata?.usage ?? usage;
    assert.deepEqual([usage?.inputTokens, usage?.outputTokens], [4, 4]);
    // 8 + 4 = 12 ≤ 20 → 16 used; 16 + 4 = 20 ≤ 20 → 24 used; 24 + 1 > 20 → throttled.
    assert.deepEqual([await converse(c, 4), await converse(c, 4), await converse(c, 1)], ["ok", "ok", TOKENS]);
  });

  it("boto3 sees the throttle as ThrottlingException (429) at the right request", { skip: !hasBoto3 && "python3 boto3 not installed" }, async () => {
    const script = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="AKIDPYTHON0001",
    aws_secret_access_key="python-secret", config=Config(retries={"total_max_attempts": 1}))
out = []
for i in range(3):
    try:
        c.converse(modelId="basalt.echo", messages=[{"role": "user", "content": [{"text": "hi"}]}])
        out.append("ok")
    except ClientError as e:
        out.append([e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"], e.response["Error"]["Message"]])
print(json.dumps(out))
`;
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };
    delete env.AWS_BEARER_TOKEN_BEDROCK;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("python3", ["-c", script, basalt.url], { env, timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
    );
    assert.deepEqual(JSON.parse(stdout), ["ok", "ok", [429, "ThrottlingException", "Too many requests, please wait before trying again."]]);
  });

  it("/_basalt/ready: memory counters, not degraded", async () => {
    assert.deepEqual(await ready(basalt.url), { status: "ready", counters: { store: "memory", shared: false, degraded: false } });
  });
});

describe("quotas shared by two nodes on one Redis", () => {
  let redis: RunningRedis;
  let a: RunningBasalt;
  let b: RunningBasalt;
  const clients: BedrockRuntimeClient[] = [];
  before(async () => {
    redis = await startRedis();
    const path = writeConfig(config(`storage:\n  redis: "${redis.url}"\n`));
    [a, b] = await Promise.all([startBasalt({ config: path }), startBasalt({ config: path })]);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });
  const client = (url: string, make: typeof h1Client, extra: Record<string, unknown> = {}) => {
    const c = make(url, extra);
    clients.push(c);
    return c;
  };

  it("the (limit+1)-th request across both nodes is throttled, whichever node it reaches", async () => {
    const onA = client(a.url, h2Client);
    const onB = client(b.url, h1Client);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await converse(i % 2 ? onB : onA));
    assert.deepEqual(results, ["ok", "ok", "ok", "ok", "ok", REQUESTS]);
    assert.equal(await converse(onA), REQUESTS, "node A sees node B's requests too");
    // Concurrent requests on both nodes: the window is one atomic counter, so exactly the limit passes.
    const tokensA = client(a.url, h2Client, { credentials: FREE_KEY });
    const tokensB = client(b.url, h2Client, { credentials: FREE_KEY });
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => converse(i % 2 ? tokensB : tokensA, 1, "limited.echo")));
    assert.equal(burst.filter((r) => r === "ok").length, 2);
    assert.equal(burst.filter((r) => r === REQUESTS).length, 4);
    assert.deepEqual(await ready(a.url), { status: "ready", counters: { store: "redis", shared: true, degraded: false } });
  });

  it("Redis killed mid-test: requests keep succeeding on local counters, and the nodes say so", async () => {
    const onA = client(a.url, h2Client, { credentials: OTHER_KEY });
    const onB = client(b.url, h1Client, { credentials: OTHER_KEY });
    // Every one of these is counted (busy.echo has limits); Redis is SIGKILLed after the 10th, while the
    // next ones are already on their way.
    const going: Promise<string>[] = [];
    let killed: Promise<void> | undefined;
    for (let i = 0; i < 40; i++) {
      if (i === 10) {
        await Promise.all(going);
        killed = redis.kill();
      }
      going.push(converse(i % 2 ? onB : onA, 2, "busy.echo"));
      if (i % 4 === 3) await Promise.all(going);
    }
    await killed;
    assert.deepEqual(await Promise.all(going), Array(40).fill("ok"));
    // The `rpm` key used its 5 in the shared window above; each node now counts on its own, from zero.
    const rpmA = client(a.url, h2Client);
    const rpmB = client(b.url, h1Client);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await converse(i % 2 ? rpmB : rpmA));
    assert.deepEqual(results, Array(6).fill("ok"));
    // Limits still hold, per node: the model's 2 per minute on each node's own counters.
    assert.deepEqual([await converse(onA, 1, "limited.echo"), await converse(onA, 1, "limited.echo"), await converse(onA, 1, "limited.echo")], ["ok", "ok", REQUESTS]);
    for (const node of [a, b]) {
      assert.deepEqual(await ready(node.url), { status: "degraded", counters: { store: "redis", shared: false, degraded: true } });
      assert.match(node.output(), /Redis unavailable: quotas now count on this node only/);
    }
    // Back again: the nodes return to the shared counters.
    await redis.restart();
    for (let i = 0; i < 100 && (await ready(a.url)).counters.degraded; i++) await sleep(100);
    assert.deepEqual((await ready(a.url)).counters, { store: "redis", shared: true, degraded: false });
    assert.equal(await converse(onA), "ok");
  });
});

describe("quotas on a pass-through model (the Bedrock provider relays the bytes)", () => {
  let upstream: RunningBasalt;
  let downstream: RunningBasalt;
  let client: BedrockRuntimeClient;
  before(async () => {
    upstream = await startBasalt({ config: writeConfig("models:\n  - { id: upstream.echo, provider: echo, family: echo }\n") });
    downstream = await startBasalt({
      config: writeConfig(`
providers:
  aws: { type: bedrock, region: us-east-1, endpoint: "${upstream.url}" }
models:
  - { id: relayed.echo, provider: aws, model: upstream.echo, family: echo }
auth:
  keys:
    - { name: tpm, accessKeyId: AKIDTOKENS0001, secretAccessKey: tokens-secret, limits: { tokensPerMinute: 30 } }
`),
      env: { AWS_ACCESS_KEY_ID: "AKIDRELAY", AWS_SECRET_ACCESS_KEY: "relay-secret", AWS_PROFILE: "", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" },
    });
    client = h2Client(downstream.url, { credentials: TOKENS_KEY });
  });
  after(async () => {
    client?.destroy();
    await downstream?.stop();
    await upstream?.stop();
  });

  it("input counted by the upstream's CountTokens, output read off the relayed answer and stream", async () => {
    const s = await client.send(new ConverseStreamCommand({ modelId: "relayed.echo", messages: words(4) }));
    for await (const _ of s.stream!) void _;
    // 4 + 4 (stream) = 8; +4 +4 = 16; 16 + 7 = 23 ≤ 30, +7 = 30; 30 + 1 > 30. Without the relayed outputs
    // charged, the last would still fit.
    assert.deepEqual(
      [await converse(client, 4, "relayed.echo"), await converse(client, 7, "relayed.echo"), await converse(client, 1, "relayed.echo")],
      ["ok", "ok", TOKENS],
    );
  });
});
