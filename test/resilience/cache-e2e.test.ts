// The response cache end to end, in memory: the JS SDK and raw HTTP against Basalt in this process in front of
// a fake OpenAI-compatible upstream. A second identical request is answered without an upstream call (also
// with its JSON keys in another order), streams replay as complete streams, and `x-basalt-cache` says which.
import { after, before, beforeEach, test } from "node:test";
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import {
  ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand, type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { failWith, recordOf, say, startStack, streamText, type Stack } from "./harness.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
const BOTO3_SCRIPT = fileURLToPath(new URL("./python/resilience_boto3.py", import.meta.url));

let stack: Stack;
/** The `x-basalt-cache` header of the client's latest response. */
let cacheHeader: string | undefined;

function watchHeaders(client: BedrockRuntimeClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      cacheHeader = (result.response as { headers?: Record<string, string> }).headers?.["x-basalt-cache"];
      return result;
    },
    { step: "deserialize", name: "watchCacheHeader" },
  );
}

before(async () => {
  stack = await startStack(() => `models:
  - id: chat
    targets: [{ provider: primary, model: llama3.1:8b }, { provider: secondary, model: gpt-4o-mini }]
    retry: { attempts: 1 }
  - { id: plain, provider: primary, model: llama3.1:8b }
  - { id: anthropic.claude-3-5-haiku-20241022-v1:0, provider: primary, model: llama3.1:8b }
cache: { ttlSeconds: 60 }
`);
  watchHeaders(stack.client);
});
after(() => stack.close());

let seenPrimary = 0;
beforeEach(() => {
  seenPrimary = stack.primary.requests.length;
  cacheHeader = undefined;
});
const primaryCalls = () => stack.primary.requests.length - seenPrimary;

test("a hit costs nothing in the ledger: the miss is priced, the hit's cost is 0 with its tokens kept", async () => {
  const input = { modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", messages: say("price me once"), inferenceConfig: { maxTokens: 50 } };
  const miss = await stack.client.send(new ConverseCommand(input));
  const hit = await stack.client.send(new ConverseCommand(input));
  assert.equal(cacheHeader, "hit");
  const missRecord = await recordOf(stack.records, miss.$metadata.requestId);
  const hitRecord = await recordOf(stack.records, hit.$metadata.requestId);
  assert.ok((missRecord.costUsd ?? 0) > 0, `the miss is priced: ${missRecord.costUsd}`);
  assert.equal(hitRecord.costUsd, 0);
  assert.equal(hitRecord.outputTokens, missRecord.outputTokens);
});

test("the OpenAI and Anthropic doors say x-basalt-cache too, plain and streamed", async () => {
  const post = (path: string, body: unknown) =>
    fetch(`${stack.basalt.url}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": "unused" }, body: JSON.stringify(body) });
  const requests: [string, Record<string, unknown>][] = [
    ["/v1/chat/completions", { model: "plain", messages: [{ role: "user", content: "door cache one" }] }],
    ["/v1/chat/completions", { model: "plain", stream: true, messages: [{ role: "user", content: "door cache two" }] }],
    ["/v1/messages", { model: "plain", max_tokens: 20, messages: [{ role: "user", content: "door cache three" }] }],
    ["/v1/messages", { model: "plain", max_tokens: 20, stream: true, messages: [{ role: "user", content: "door cache four" }] }],
  ];
  for (const [path, body] of requests) {
    const first = await post(path, body);
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get("x-basalt-cache"), "miss", `${path} ${JSON.stringify(body)}`);
    await first.text();
    const second = await post(path, body);
    assert.equal(second.headers.get("x-basalt-cache"), "hit", `${path} ${JSON.stringify(body)}`);
    await second.text();
  }
});

test("identical Converse twice: the second is a hit with no upstream call, marked in the header and the record", async () => {
  const input = { modelId: "plain", messages: say("what is the capital of France?"), inferenceConfig: { maxTokens: 50, temperature: 0 } };
  const first = await stack.client.send(new ConverseCommand(input));
  assert.equal(cacheHeader, "miss");
  const second = await stack.client.send(new ConverseCommand(input));
  assert.equal(cacheHeader, "hit");
  assert.equal(primaryCalls(), 1);
  assert.deepEqual(second.output, first.output);
  assert.deepEqual(second.usage, first.usage);
  assert.equal(second.stopReason, first.stopReason);
  const record = await recordOf(stack.records, second.$metadata.requestId);
  assert.equal(record.cache, "hit");
  assert.equal(record.attempts.length, 0, "a hit calls no upstream");
  // Another request, another answer.
  await stack.client.send(new ConverseCommand({ ...input, inferenceConfig: { maxTokens: 51, temperature: 0 } }));
  assert.equal(cacheHeader, "miss");
  assert.equal(primaryCalls(), 2);
});

test("the same request with its JSON keys in another order and other whitespace is a hit", async () => {
  const post = (body: string) => fetch(`${stack.basalt.url}/model/plain/converse`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const a = await post('{"messages":[{"role":"user","content":[{"text":"order test"}]}],"inferenceConfig":{"maxTokens":20,"temperature":0.5}}');
  assert.equal(a.status, 200);
  assert.equal(a.headers.get("x-basalt-cache"), "miss");
  const b = await post('{\n  "inferenceConfig": { "temperature": 0.5, "maxTokens": 20 },\n  "messages": [ { "content": [ { "text": "order test" } ], "role": "user" } ]\n}');
  assert.equal(b.status, 200);
  assert.equal(b.headers.get("x-basalt-cache"), "hit");
  const [ja, jb] = [await a.json(), await b.json()] as { output: unknown }[];
  assert.deepEqual(jb.output, ja.output);
  assert.equal(primaryCalls(), 1);
});

test("a ConverseStream hit decodes as a complete stream: the same events, the same usage", async () => {
  const miss = await streamText(stack.client, "chat", "stream me");
  assert.equal(cacheHeader, "miss");
  const hit = await streamText(stack.client, "chat", "stream me");
  assert.equal(cacheHeader, "hit");
  assert.equal(primaryCalls(), 1);
  assert.equal(hit.error, undefined);
  assert.equal(hit.text, "from primary");
  assert.deepEqual(hit.names, miss.names);
  assert.deepEqual(hit.names.slice(0, 1), ["messageStart"]);
  assert.deepEqual(hit.names.slice(-2), ["messageStop", "metadata"]);

  const out = await stack.client.send(new ConverseStreamCommand({ modelId: "chat", messages: say("stream me") }));
  let usage: unknown;
  let latencyMs: number | undefined;
  for await (const event of out.stream!) {
    if (event.metadata) {
      usage = event.metadata.usage;
      latencyMs = event.metadata.metrics?.latencyMs;
    }
  }
  assert.deepEqual(usage, { inputTokens: 3, outputTokens: 2, totalTokens: 5 });
  assert.equal(typeof latencyMs, "number");
  assert.equal(primaryCalls(), 1);
});

test("InvokeModel is cached too, and answers a hit in the family's native body", async () => {
  const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 30, messages: [{ role: "user", content: "invoke me" }] });
  const modelId = "anthropic.claude-3-5-haiku-20241022-v1:0";
  const first = await stack.client.send(new InvokeModelCommand({ modelId, body, contentType: "application/json" }));
  assert.equal(cacheHeader, "miss");
  const second = await stack.client.send(new InvokeModelCommand({ modelId, body, contentType: "application/json" }));
  assert.equal(cacheHeader, "hit");
  assert.equal(primaryCalls(), 1);
  const [a, b] = [first, second].map((r) => JSON.parse(new TextDecoder().decode(r.body)) as { content: unknown; usage: unknown; type: string });
  assert.equal(b.type, "message");
  assert.deepEqual(b.content, a.content);
  assert.deepEqual(b.usage, a.usage);
});

test("InvokeModelWithResponseStream: a hit streams the same native chunks, ending with its invocation metrics", async () => {
  const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 30, messages: [{ role: "user", content: "invoke stream me" }] });
  const modelId = "anthropic.claude-3-5-haiku-20241022-v1:0";
  const read = async () => {
    const out = await stack.client.send(new InvokeModelWithResponseStreamCommand({ modelId, body, contentType: "application/json" }));
    const chunks: Record<string, unknown>[] = [];
    for await (const event of out.body!) if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
    return { chunks, cache: cacheHeader };
  };
  const miss = await read();
  const hit = await read();
  assert.equal(miss.cache, "miss");
  assert.equal(hit.cache, "hit");
  assert.equal(primaryCalls(), 1);
  const types = (chunks: Record<string, unknown>[]) => chunks.map((c) => c.type);
  assert.deepEqual(types(hit.chunks), types(miss.chunks));
  const text = (chunks: Record<string, unknown>[]) => chunks.map((c) => (c.delta as { text?: string } | undefined)?.text ?? "").join("");
  assert.equal(text(hit.chunks), "from primary");
  const metrics = hit.chunks.at(-1)!["amazon-bedrock-invocationMetrics"] as { inputTokenCount: number; outputTokenCount: number };
  assert.deepEqual([metrics.inputTokenCount, metrics.outputTokenCount], [3, 2]);
});

test("failed answers are not cached: the next identical request goes upstream again", async () => {
  stack.primary.enqueue(failWith(400));
  await assert.rejects(stack.client.send(new ConverseCommand({ modelId: "plain", messages: say("fails once") })), { name: "ValidationException" });
  const ok = await stack.client.send(new ConverseCommand({ modelId: "plain", messages: say("fails once") }));
  assert.equal(cacheHeader, "miss");
  assert.equal(ok.output?.message?.content?.[0].text, "from primary");
  assert.equal(primaryCalls(), 2);
});

test("boto3: fallback on a 500, a 400 not fallen back, cache hits for converse and converse_stream", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  stack.primary.enqueue(failWith(500), failWith(400));
  const seenSecondary = stack.secondary.requests.length;
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("python3", [BOTO3_SCRIPT, stack.basalt.url], { timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
  );
  const r = JSON.parse(stdout);
  assert.deepEqual(r.fallback, { text: "from secondary", cache: "miss" });
  assert.deepEqual(r.validation, { code: "ValidationException", status: 400 });
  assert.deepEqual(r.first, { text: "from primary", cache: "miss" });
  assert.deepEqual(r.second, { text: "from primary", cache: "hit" });
  assert.equal(r.streamMiss.cache, "miss");
  assert.equal(r.streamHit.cache, "hit");
  assert.equal(r.streamHit.text, "from primary");
  assert.deepEqual(r.streamHit.names, r.streamMiss.names);
  assert.deepEqual(r.streamHit.usage, [{ inputTokens: 3, outputTokens: 2, totalTokens: 5 }]);
  // 500 + 400 + one miss each for converse and stream on the primary; the secondary only for the fallback.
  assert.equal(primaryCalls(), 4);
  assert.equal(stack.secondary.requests.length - seenSecondary, 1);
});
