// kill -9 of the server in the middle of a batch job, then a restart on the same data directory (SQLite and
// the local blob store, the defaults): the job completes, its output holds each record exactly once, and no
// record that was finished before the kill is sent to the model again. Only calls in flight at the moment
// of the kill can be repeated (nobody kept their answers) — at most jobs.concurrency of them.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GetModelInvocationJobCommand, CreateModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import { LocalBlobStore } from "../../src/storage/local-blob-store.js";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { completion, startOpenAIUpstream } from "../fakes/openai-upstream.js";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { controlPlaneClient } from "./e2e-harness.js";
import { BATCH_FINAL, sleep, waitFor } from "./harness.js";

const RECORDS = 60;
const CONCURRENCY = 4;

test("kill -9 mid-batch, restart: the job completes with every record exactly once", async () => {
  const calls = new Map<number, number>();
  const upstream = await startOpenAIUpstream(async (req) => {
    const text = JSON.stringify(req.body.messages);
    const n = Number(/record (\d+)/.exec(text)?.[1]);
    calls.set(n, (calls.get(n) ?? 0) + 1);
    await sleep(40);
    return { json: completion({ content: `answer ${n}`, usage: { prompt: 3, completion: 2 } }) };
  });
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-crash-"));
  const config = writeConfig(`server: { dataDir: ${JSON.stringify(dataDir)} }
jobs: { concurrency: ${CONCURRENCY}, pollMs: 50 }
providers:
  fake: { type: openai, baseUrl: "${upstream.baseUrl}" }
models:
  - { id: "meta.llama3-8b-instruct-v1:0", provider: fake, model: llama }
`);
  const blobs = new LocalBlobStore(join(dataDir, "s3"));
  const lines = Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ recordId: `R${i}`, modelInput: { prompt: `record ${i}`, max_gen_len: 16 } }));
  await blobs.put("s3://crash/in/records.jsonl", lines.join("\n"));

  let basalt = await startBasalt({ config });
  try {
    const { jobArn } = await controlPlaneClient(basalt.url).send(new CreateModelInvocationJobCommand({
      jobName: "crash", roleArn: "arn:aws:iam::123456789012:role/r", modelId: "meta.llama3-8b-instruct-v1:0",
      inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://crash/in/records.jsonl" } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://crash/out/" } },
    }));
    const get = (url: string) => controlPlaneClient(url).send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    await waitFor(() => get(basalt.url), (j) => (j.processedRecordCount ?? 0) >= 15, 30_000);
    await basalt.stop("SIGKILL");

    // What was durable at the moment of the kill.
    const db = new SqliteDatabase(join(dataDir, "basalt.db"));
    const done = (await db.query<{ record_id: string }>("SELECT record_id FROM basalt_job_records WHERE state = 'done'")).map((r) => Number(r.record_id.slice(1)));
    await db.close();
    assert.ok(done.length >= 15 && done.length < RECORDS, `${done.length} records were finished at the kill`);

    basalt = await startBasalt({ config });
    const job = await waitFor(() => get(basalt.url), (j) => BATCH_FINAL.has(j.status ?? ""), 60_000);
    assert.equal(job.status, "Completed");
    assert.equal(job.successRecordCount, RECORDS);

    const out = (await blobs.get(`s3://crash/out/${jobArn!.slice(-12)}/records.jsonl.out`)).toString("utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(out.map((l) => l.recordId), Array.from({ length: RECORDS }, (_, i) => `R${i}`), "each record once, in input order");
    assert.ok(out.every((l, i) => l.modelOutput.generation === `answer ${i}`));

    for (const n of done) assert.equal(calls.get(n), 1, `record ${n}, finished before the kill, was not run again`);
    for (let i = 0; i < RECORDS; i++) assert.ok((calls.get(i) ?? 0) >= 1, `record ${i} ran`);
    const repeated = [...calls.values()].filter((c) => c > 1).length;
    assert.ok(repeated <= CONCURRENCY, `${repeated} records were called twice (only those in flight at the kill may be)`);
  } finally {
    await basalt.stop();
    await upstream.close();
  }
});
