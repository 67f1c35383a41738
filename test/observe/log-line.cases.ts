// One log line per call through the real CLI (issue 10): a success, a validation error, an upstream error
// with its cause chain, and a stream cut mid-way — each with the request id the client got, the model as sent
// and as served, the outcome and timings; never a secret or a body.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { h2Client } from "../helpers/clients.js";

const API_KEY = "sk-upstream-secret-0123456789";
const PROMPT_SECRET = "body-text-never-logged";

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test("log lines: success, validation error, upstream error with causes, stream cut mid-way", async () => {
  const port = await closedPort();
  const basalt = await startBasalt({
    config: writeConfig(`server: { ledger: { enabled: false } }
providers:
  gone: { type: openai, baseUrl: "http://127.0.0.1:${port}/v1", apiKey: "${API_KEY}" }
models:
  - { id: basalt.echo, provider: echo }
  - { id: local.llama, provider: gone, model: "llama3.1:8b" }
`),
  });
  try {
    const client = h2Client(basalt.url);
    const text = (t: string) => [{ role: "user" as const, content: [{ text: t }] }];
    const ok = await client.send(new ConverseCommand({ modelId: "us.basalt.echo", messages: text(`hello ${PROMPT_SECRET}`) }));
    const bad = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [] })).catch((e: { name: string; $metadata: { requestId: string } }) => e);
    const upstream = await client.send(new ConverseCommand({ modelId: "local.llama", messages: text(PROMPT_SECRET) })).catch((e: { name: string; $metadata: { requestId: string } }) => e);
    const stream = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: text("/error-after 3 ModelStreamErrorException cut mid-way") }));
    let cut = "";
    try {
      for await (const _ of stream.stream!) void _;
    } catch (err) {
      cut = (err as Error).name;
    }
    client.destroy();
    assert.equal(cut, "ModelStreamErrorException");
    await new Promise((r) => setTimeout(r, 200));

    const lines = basalt.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    // The call's line is the one with its front door (a 5xx also gets respond.ts's "server fault" line).
    const lineOf = (id: string) => {
      const found = lines.filter((l) => l.requestId === id && l.frontDoor !== undefined);
      assert.equal(found.length, 1, `one call line for ${id}`);
      return found[0];
    };
    const l1 = lineOf(ok.$metadata.requestId!);
    assert.deepEqual(
      { level: l1.level, operation: l1.operation, modelId: l1.modelId, servedModel: l1.servedModel, provider: l1.provider, status: l1.status, inputTokens: l1.inputTokens, outputTokens: l1.outputTokens, attempts: l1.attempts },
      { level: 30, operation: "Converse", modelId: "us.basalt.echo", servedModel: "basalt.echo", provider: "echo", status: 200, inputTokens: 2, outputTokens: 2, attempts: 1 },
    );
    assert.equal(typeof l1.latencyMs, "number");

    assert.equal(bad instanceof Error || typeof bad === "object", true);
    const l2 = lineOf((bad as { $metadata: { requestId: string } }).$metadata.requestId);
    assert.equal(l2.level, 40);
    assert.equal(l2.error, "ValidationException");
    assert.equal(l2.status, 400);

    const l3 = lineOf((upstream as { $metadata: { requestId: string } }).$metadata.requestId);
    assert.ok(Number(l3.level) >= 40);
    assert.equal(l3.error, (upstream as { name: string }).name);
    assert.equal(l3.upstreamModel, "llama3.1:8b");
    assert.match(String(l3.cause), /ECONNREFUSED/, "the cause chain names what failed");
    const outcomes = l3.attemptOutcomes as string[];
    assert.equal(outcomes.length, 1);
    assert.match(outcomes[0], new RegExp(`^gone/llama3\\.1:8b ${String(l3.error)}( \\d+)? [\\d.]+ms$`));

    const l4 = lineOf(stream.$metadata.requestId!);
    assert.equal(l4.operation, "ConverseStream");
    assert.equal(l4.status, 200);
    assert.equal(l4.error, "ModelStreamErrorException");
    assert.equal(typeof l4.ttftMs, "number");

    const all = basalt.output();
    assert.ok(!all.includes(API_KEY), "no API key in the log");
    assert.ok(!all.includes(PROMPT_SECRET), "no body in the log");
  } finally {
    await basalt.stop();
  }
});
