// The response cache shared on a real Redis by two Basalt processes (the CLI, as `npm start` runs it): a hit on
// one node for an answer the other stored, streams included; Redis killed → every request still succeeds
// (the cache degrades to each node's memory); Redis back → shared again.
import { after, before, test } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { startOpenAIUpstream, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import { h2Client } from "../helpers/clients.js";
import { startRedis, type RunningRedis } from "../helpers/services.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { answersAs, say, streamText } from "./harness.js";

let redis: RunningRedis;
let upstream: FakeOpenAIUpstream;
let nodes: RunningBasalt[] = [];
let clients: BedrockRuntimeClient[] = [];

before(async () => {
  redis = await startRedis();
  upstream = await startOpenAIUpstream(answersAs("upstream"));
  // Each node its own data directory (its own SQLite ledger): they share only Redis, as two machines would.
  const config = () => writeConfig(`server: { dataDir: "${mkdtempSync(join(tmpdir(), "basalt-node-"))}" }
providers:
  up: { type: openai, baseUrl: "${upstream.baseUrl}" }
models:
  - id: chat
    targets: [{ provider: up, model: llama3.1:8b }]
cache: { ttlSeconds: 60 }
storage: { redis: "${redis.url}" }
`);
  nodes = await Promise.all([startBasalt({ config: config() }), startBasalt({ config: config() })]);
  clients = nodes.map((n) => h2Client(n.url));
});
after(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(nodes.map((n) => n.stop()));
  await upstream?.close();
  await redis?.stop();
});

/** Converse on one node: its text and the x-basalt-cache header. */
async function ask(node: number, text: string): Promise<{ text: string; cache: string | null }> {
  const res = await fetch(`${nodes[node].url}/model/chat/converse`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: say(text) }),
  });
  const body = (await res.json()) as { output?: { message?: { content?: { text?: string }[] } }; message?: string };
  assert.equal(res.status, 200, `node ${node}: ${JSON.stringify(body)}`);
  return { text: body.output?.message?.content?.[0]?.text ?? "", cache: res.headers.get("x-basalt-cache") };
}

test("two Basalt processes on one Redis share hits: an answer stored by one is served by the other", async () => {
  const calls = upstream.requests.length;
  assert.deepEqual(await ask(0, "shared question"), { text: "from upstream", cache: "miss" });
  assert.deepEqual(await ask(1, "shared question"), { text: "from upstream", cache: "hit" });
  assert.equal(upstream.requests.length, calls + 1);

  const miss = await streamText(clients[1], "chat", "shared stream");
  const hit = await streamText(clients[0], "chat", "shared stream");
  assert.equal(hit.error, undefined);
  assert.equal(hit.text, "from upstream");
  assert.deepEqual(hit.names, miss.names);
  assert.equal(upstream.requests.length, calls + 2);
});

test("Redis killed: requests still succeed on both nodes; Redis back: the cache is shared again", async () => {
  await redis.kill();
  for (const node of [0, 1]) {
    const out = await clients[node].send(new ConverseCommand({ modelId: "chat", messages: say(`while redis is down ${node}`) }));
    assert.equal(out.output?.message?.content?.[0].text, "from upstream");
  }
  const during = await ask(0, "asked twice while down");
  assert.equal(during.text, "from upstream");
  assert.equal((await ask(0, "asked twice while down")).text, "from upstream");

  await redis.restart();
  // Each node probes Redis every second while degraded.
  let shared = false;
  for (let i = 0; i < 50 && !shared; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const question = `after recovery ${i}`;
    await ask(0, question);
    shared = (await ask(1, question)).cache === "hit";
  }
  assert.ok(shared, "the nodes share hits again once Redis is back");
});
