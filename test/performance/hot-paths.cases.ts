// Behaviour the performance work must keep, through the real SDK against the real server: long echo
// streams written in batches arrive complete and in order on both transports, unary calls still work on
// connections handed natively to http2, and shutdown does not wait on idle keep-alive connections.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { startBasalt } from "../helpers/start-basalt.js";
import { transports } from "../helpers/clients.js";

let basalt: InProcessBasalt;
before(async () => {
  basalt = await startInProcess();
});
after(async () => {
  await basalt.stop();
});

const words = Array.from({ length: 5000 }, (_, i) => `w${i}${i % 7 === 0 ? "é🚀" : ""}`);
const text = words.map((w, i) => (i ? (i % 3 ? " " : "\n") : "") + w).join("");

for (const [name, makeClient] of transports) {
  test(`${name}: a 5,000-token echo stream arrives complete and in order, then unary calls keep working`, async () => {
    const client = makeClient(basalt.url);
    const res = await client.send(new ConverseStreamCommand({
      modelId: "basalt.echo",
      messages: [{ role: "user", content: [{ text }] }],
      inferenceConfig: { maxTokens: 10_000 },
    }));
    const types: string[] = [];
    let joined = "";
    for await (const event of res.stream ?? []) {
      const type = Object.keys(event).find((k) => (event as unknown as Record<string, unknown>)[k] !== undefined)!;
      types.push(type);
      if (event.contentBlockDelta?.delta?.text !== undefined) joined += event.contentBlockDelta.delta.text;
    }
    assert.equal(joined, text);
    assert.equal(types.length, words.length + 4);
    assert.deepEqual(types.slice(0, 2), ["messageStart", "contentBlockDelta"]);
    assert.deepEqual(types.slice(-3), ["contentBlockStop", "messageStop", "metadata"]);
    for (let i = 0; i < 20; i++) {
      const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: `hello ${i}` }] }] }));
      assert.equal(out.output?.message?.content?.[0]?.text, `hello ${i}`);
    }
    client.destroy();
  });
}

test("SIGTERM with an idle keep-alive connection open exits at once, not after the grace period", async () => {
  const own = await startBasalt();
  const res = await fetch(`${own.url}/model/basalt.echo/converse`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
  });
  assert.equal(res.status, 200);
  await res.text();
  const started = Date.now();
  assert.equal(await own.stop(), 0);
  assert.ok(Date.now() - started < 3000, `exit took ${Date.now() - started} ms`);
});
