// boto3 (botocore's own serialisation: ISO timestamps, idempotency tokens, restJson1 errors) for async
// invocations and a batch job, with inputs and outputs in s3rver.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startS3rver, type RunningS3rver } from "../helpers/services.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { storageYaml } from "./e2e-harness.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
const script = fileURLToPath(new URL("./python/jobs_boto3.py", import.meta.url));

let s3: RunningS3rver;
let basalt: RunningBasalt;
before(async () => {
  if (!hasBoto3) return;
  s3 = await startS3rver({ buckets: ["boto-jobs"] });
  basalt = await startBasalt({ config: writeConfig(storageYaml(s3) + "jobs: { pollMs: 50 }\n") });
});
after(async () => {
  await basalt?.stop();
  await s3?.stop();
});

test("boto3: start/get/list async invokes and create/get/list/stop a batch job", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, basalt.url, s3.endpoint, "boto-jobs"], { timeout: 90_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
  );
  const r = JSON.parse(stdout);
  assert.match(r.async.arn, /:async-invoke\/[a-z0-9]{12}$/);
  assert.equal(r.async.same, true);
  assert.equal(r.async.status, "Completed");
  assert.equal(r.async.endTimeType, "datetime");
  assert.equal(r.async.output.outputText, "boto three async");
  assert.deepEqual(r.async.listed, [r.async.arn]);
  assert.equal(r.async.hasNextToken, false, "one job, one page");
  assert.deepEqual(r.async.conflict, { code: "ConflictException", status: 400 });

  assert.equal(r.batch.status, "Completed");
  assert.deepEqual(r.batch.counts, [5, 5, 0]);
  assert.deepEqual(r.batch.lines, [0, 1, 2, 3, 4].map((i) => `boto record ${i}`));
  assert.equal(r.batch.manifest.successRecordCount, 5);
  assert.deepEqual(r.batch.listed, ["boto3-batch"]);
  assert.deepEqual(r.batch.stopDone, { code: "ValidationException", status: 400 });
  assert.deepEqual(r.batch.missing, { code: "ResourceNotFoundException", status: 404 });
});
