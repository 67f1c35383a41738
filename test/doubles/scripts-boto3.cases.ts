// boto3 (HTTP/1.1, botocore's own event-stream parser) against scripts: the parallel tool calls with
// reasoning through converse, converse_stream and invoke_model with a Claude body; an exception event
// mid-stream; a cut stream that botocore raises on; a stall; an error by name.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CLAUDE, startDoubles, type DoublesStack } from "./harness.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
const script = fileURLToPath(new URL("./python/scripts_boto3.py", import.meta.url));

const ANSWER = {
  content: [
    { reasoningContent: { reasoningText: { text: "Two calls at once.", signature: "c2lnbmF0dXJl" } } },
    { toolUse: { toolUseId: "tooluse_a", name: "get_weather", input: { city: "Oslo" } } },
    { toolUse: { toolUseId: "tooluse_b", name: "get_weather", input: { city: "Lima" } } },
  ],
  usage: { inputTokens: 10, outputTokens: 20, cacheReadInputTokens: 5 },
};

let stack: DoublesStack;
before(async () => {
  if (hasBoto3) stack = await startDoubles();
});
after(async () => void (await stack?.close()));

test("boto3: scripted answers and stream faults", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, stack.basalt.url, JSON.stringify(ANSWER), CLAUDE], { timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
  );
  const r = JSON.parse(stdout);
  assert.deepEqual(r.converse.content, ANSWER.content);
  assert.equal(r.converse.stop, "tool_use");
  assert.deepEqual(r.converse.usage, { inputTokens: 10, outputTokens: 20, totalTokens: 35, cacheReadInputTokens: 5 });

  assert.deepEqual(r.stream.starts, [
    { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_a", name: "get_weather" } } },
    { contentBlockIndex: 2, start: { toolUse: { toolUseId: "tooluse_b", name: "get_weather" } } },
  ]);
  const deltas = r.stream.deltas as { contentBlockIndex: number; delta: Record<string, { text?: string; signature?: string; input?: string }> }[];
  const reasoning = deltas.filter((d) => d.contentBlockIndex === 0).map((d) => d.delta.reasoningContent);
  assert.equal(reasoning.slice(0, -1).map((x) => x.text).join(""), "Two calls at once.");
  assert.deepEqual(reasoning.at(-1), { signature: "c2lnbmF0dXJl" });
  assert.deepEqual(JSON.parse(deltas.filter((d) => d.contentBlockIndex === 2).map((d) => d.delta.toolUse.input).join("")), { city: "Lima" });
  assert.deepEqual(r.stream.stop, ["tool_use"]);
  assert.equal(r.stream.usage[0].cacheReadInputTokens, 5);

  assert.deepEqual(r.invoke.content, [
    { type: "thinking", thinking: "Two calls at once.", signature: "c2lnbmF0dXJl" },
    { type: "tool_use", id: "tooluse_a", name: "get_weather", input: { city: "Oslo" } },
    { type: "tool_use", id: "tooluse_b", name: "get_weather", input: { city: "Lima" } },
  ]);
  assert.equal(r.invoke.stop_reason, "tool_use");

  assert.deepEqual(r.exception, { raised: true, events: 4, code: "throttlingException", message: "slow down" });
  assert.equal(r.cut.raised, true, `botocore returned a short stream as complete: ${JSON.stringify(r.cut)}`);
  assert.equal(r.cut.events, 4);
  assert.ok(r.stallGapMs >= 280, `stall of ${r.stallGapMs} ms`);
  assert.deepEqual(r.error, { code: "ServiceQuotaExceededException", message: "quota", status: 400 });
});
