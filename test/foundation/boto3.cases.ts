// boto3 (HTTP/1.1, botocore's own event-stream parser) against the server started as the README says.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
const script = fileURLToPath(new URL("./python/boto3_smoke.py", import.meta.url));

let basalt: InProcessBasalt;
before(async () => {
  if (hasBoto3) basalt = await startInProcess();
});
after(async () => void (await basalt?.stop()));

test("boto3: converse, converse_stream, count_tokens and errors", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, basalt.url], { timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
  );
  const r = JSON.parse(stdout);
  assert.equal(r.converse.text, "hello from");
  assert.equal(r.converse.stop, "max_tokens");
  assert.deepEqual(r.converse.usage, { inputTokens: 3, outputTokens: 2, totalTokens: 5 });
  assert.match(r.converse.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(r.image, "pic\n[image png 67 bytes]");
  assert.deepEqual(r.stream, ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
  assert.equal(r.count, 3);
  assert.deepEqual(r.tool, { name: "get_weather", input: { city: "Oslo" }, stop: "tool_use" });
  assert.equal(r.streamText, "  spaced   words\nhere");
  assert.deepEqual(r.validation, { code: "ValidationException", status: 400 });
  assert.deepEqual(r.throttling, { code: "ThrottlingException", message: "slow down", status: 429 });
  assert.deepEqual(r.streamError, { code: "throttlingException", message: "mid" });
});
