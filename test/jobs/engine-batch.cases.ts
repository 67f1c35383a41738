// Batch jobs in the engine: records from JSONL run with bounded concurrency, each result committed on its
// own; the output `<out>/<job id>/<file>.out` (input order, one line per record) and `manifest.json.out`
// are written once every record is done; a failed record is an error line and the job PartiallyCompleted.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BedrockError } from "../../src/core/errors.js";
import { BATCH_FINAL, batchRequest, jsonl, sleep, startEngine, waitFor, type Engine } from "./harness.js";
import { ANONYMOUS, type Caller } from "../../src/core/caller.js";

const ALICE: Caller = { name: "alice", via: "api-key", region: "eu-west-1" };
const JOB_ARN = /^arn:aws:bedrock:([a-z0-9-]+):000000000000:model-invocation-job\/([a-z0-9]{12})$/;

async function readLines(engine: Engine, uri: string): Promise<Record<string, unknown>[]> {
  const text = (await engine.blobs.get(uri)).toString("utf8");
  assert.ok(text.endsWith("\n"), "the output ends with a newline");
  return text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("batch jobs (engine)", () => {
  let engine: Engine;
  let inFlight = 0;
  let maxInFlight = 0;
  before(async () => {
    engine = await startEngine({
      config: { concurrency: 3 },
      script: async (input, ctx) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          const prompt = String(input.prompt);
          const slow = /^\/slow (\d+)/.exec(prompt);
          await sleep(slow ? Number(slow[1]) : 5, ctx.signal);
          if (prompt.startsWith("/fail")) throw new BedrockError("ValidationException", `record ${ctx.recordId} is malformed`);
          if (prompt.startsWith("/busy") && engine.calls.filter((c) => c.ctx.recordId === ctx.recordId && c.ctx.jobArn === ctx.jobArn).length <= 2) {
            throw new BedrockError("ThrottlingException", "busy");
          }
          return { body: { echo: prompt }, inputTokens: 2, outputTokens: 3 };
        } finally {
          inFlight--;
        }
      },
    });
  });
  after(() => engine.close());

  const get = (arn: string) => engine.jobs.batchJobs.get(arn);
  const finished = (arn: string) => waitFor(() => get(arn), (j) => BATCH_FINAL.has(j.status ?? ""));

  test("50 records with one failure: PartiallyCompleted, 50 lines in input order, a correct manifest", async () => {
    await engine.blobs.put("s3://batch-in/fifty/records.jsonl", jsonl(50, (i) => (i === 17 ? "/fail please" : `prompt ${i}`)));
    const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("fifty", "s3://batch-in/fifty/records.jsonl", "s3://batch-out/results/"), ALICE);
    const [, region, id] = JOB_ARN.exec(jobArn) ?? [];
    assert.equal(region, "eu-west-1", "the ARN names the region the caller signed for");
    const job = await finished(jobArn);
    assert.equal(job.status, "PartiallyCompleted");
    assert.equal(job.message, "1 of 50 records failed. The error of each is in the output.");
    assert.deepEqual(
      [job.totalRecordCount, job.processedRecordCount, job.successRecordCount, job.errorRecordCount],
      [50, 50, 49, 1],
    );
    assert.ok(job.endTime);

    const lines = await readLines(engine, `s3://batch-out/results/${id}/records.jsonl.out`);
    assert.equal(lines.length, 50);
    assert.deepEqual(lines.map((l) => l.recordId), Array.from({ length: 50 }, (_, i) => `r${String(i).padStart(3, "0")}`));
    assert.deepEqual(lines[3], { recordId: "r003", modelInput: { prompt: "prompt 3" }, modelOutput: { echo: "prompt 3" } });
    assert.deepEqual(lines[17], { recordId: "r017", modelInput: { prompt: "/fail please" }, error: { errorCode: 400, errorMessage: "record r017 is malformed" } });

    const manifest = JSON.parse((await engine.blobs.get(`s3://batch-out/results/${id}/manifest.json.out`)).toString("utf8"));
    assert.deepEqual(manifest, {
      totalRecordCount: 50, processedRecordCount: 50, successRecordCount: 49, errorRecordCount: 1, inputTokenCount: 98, outputTokenCount: 147,
    });

    const calls = engine.calls.filter((c) => c.ctx.jobArn === jobArn);
    assert.equal(calls.length, 50, "each record runs once");
    assert.equal(new Set(calls.map((c) => c.ctx.recordId)).size, 50);
    assert.ok(calls.every((c) => c.ctx.frontDoor === "batch" && c.ctx.caller.name === "alice" && c.ctx.caller.via === "api-key" && c.ctx.invocationType === "InvokeModel"));
    assert.equal(maxInFlight, 3, "records run three at a time (jobs.concurrency)");
  });

  test("a throttled record goes back in the queue and completes; it is not an error line", async () => {
    await engine.blobs.put("s3://batch-in/busy/records.jsonl", jsonl(5, (i) => (i === 2 ? "/busy now" : `fine ${i}`)));
    const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("busy", "s3://batch-in/busy/records.jsonl", "s3://batch-out/busy"), ANONYMOUS);
    const job = await finished(jobArn);
    assert.equal(job.status, "Completed");
    assert.equal(job.errorRecordCount, 0);
    const calls = engine.calls.filter((c) => c.ctx.jobArn === jobArn);
    assert.equal(calls.filter((c) => c.ctx.recordId === "r002").length, 3, "two throttled tries, then the answer");
    assert.equal(calls.length, 7);
    const lines = await readLines(engine, `s3://batch-out/busy/${jobArn.slice(-12)}/records.jsonl.out`);
    assert.deepEqual(lines[2].modelOutput, { echo: "/busy now" });
  });

  test("a folder input runs every .jsonl object; records without recordId get an 11-character id", async () => {
    await engine.blobs.put("s3://batch-in/folder/a.jsonl", '{"modelInput":{"prompt":"a1"}}\n\n{"recordId":"a2","modelInput":{"prompt":"a2"}}\n');
    await engine.blobs.put("s3://batch-in/folder/b.jsonl", '{"recordId":"b1","modelInput":{"prompt":"b1"}}');
    await engine.blobs.put("s3://batch-in/folder/notes.txt", "not records");
    const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("folder", "s3://batch-in/folder/", "s3://batch-out/f"), ANONYMOUS);
    const job = await finished(jobArn);
    assert.equal(job.status, "Completed");
    assert.equal(job.message, undefined);
    const id = jobArn.slice(-12);
    const a = await readLines(engine, `s3://batch-out/f/${id}/a.jsonl.out`);
    const b = await readLines(engine, `s3://batch-out/f/${id}/b.jsonl.out`);
    assert.equal(a.length, 2);
    assert.match(String(a[0].recordId), /^[A-Z0-9]{11}$/);
    assert.deepEqual(a[1].modelOutput, { echo: "a2" });
    assert.deepEqual(b, [{ recordId: "b1", modelInput: { prompt: "b1" }, modelOutput: { echo: "b1" } }]);
    const manifest = JSON.parse((await engine.blobs.get(`s3://batch-out/f/${id}/manifest.json.out`)).toString("utf8"));
    assert.equal(manifest.totalRecordCount, 3);
  });

  test("bad input fails the job with the place named: malformed line, missing object, no records", async () => {
    await engine.blobs.put("s3://batch-in/bad/records.jsonl", '{"recordId":"ok","modelInput":{"prompt":"x"}}\n{"recordId":"bad","modelInput":\n');
    const malformed = await engine.jobs.batchJobs.create(batchRequest("malformed", "s3://batch-in/bad/records.jsonl", "s3://batch-out/bad"), ANONYMOUS);
    const missing = await engine.jobs.batchJobs.create(batchRequest("missing", "s3://batch-in/nothing/here.jsonl", "s3://batch-out/bad"), ANONYMOUS);
    await engine.blobs.put("s3://batch-in/empty/records.jsonl", "\n\n");
    const empty = await engine.jobs.batchJobs.create(batchRequest("empty", "s3://batch-in/empty/records.jsonl", "s3://batch-out/bad"), ANONYMOUS);
    const m = await finished(malformed.jobArn);
    assert.equal(m.status, "Failed");
    assert.equal(m.message, "The record on line 2 of records.jsonl is not valid JSON.");
    assert.equal(m.totalRecordCount, undefined, "no records were created");
    const n = await finished(missing.jobArn);
    assert.equal(n.status, "Failed");
    assert.match(n.message ?? "", /No JSONL input was found at s3:\/\/batch-in\/nothing\/here\.jsonl/);
    const e = await finished(empty.jobArn);
    assert.equal(e.status, "Failed");
    assert.match(e.message ?? "", /holds no records/);
    assert.equal(engine.calls.filter((c) => [malformed.jobArn, missing.jobArn, empty.jobArn].includes(c.ctx.jobArn)).length, 0);
  });

  test("Stop mid-job: running records finish, no new one starts, the output holds what ran", async () => {
    await engine.blobs.put("s3://batch-in/stop/records.jsonl", jsonl(30, (i) => `/slow 150 record ${i}`));
    const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("stopme", "s3://batch-in/stop/records.jsonl", "s3://batch-out/stop"), ANONYMOUS);
    await waitFor(async () => engine.calls.filter((c) => c.ctx.jobArn === jobArn).length, (n) => n >= 4);
    await engine.jobs.batchJobs.stop(jobArn);
    const right = await get(jobArn);
    assert.ok(right.status === "Stopping" || right.status === "Stopped", right.status);
    const job = await finished(jobArn);
    assert.equal(job.status, "Stopped");
    const calls = engine.calls.filter((c) => c.ctx.jobArn === jobArn).length;
    assert.ok(calls < 30, `stopped before the end (${calls} calls)`);
    assert.equal(job.processedRecordCount, calls, "every record that started was finished and counted, no other");
    assert.equal(job.totalRecordCount, 30);
    const lines = await readLines(engine, `s3://batch-out/stop/${jobArn.slice(-12)}/records.jsonl.out`);
    assert.equal(lines.length, calls);
    await sleep(300);
    assert.equal(engine.calls.filter((c) => c.ctx.jobArn === jobArn).length, calls, "nothing runs after Stopped");
    // Stopping again is accepted; a finished job cannot be stopped.
    await engine.jobs.batchJobs.stop(jobArn);
  });

  test("stop errors: unknown job is ResourceNotFoundException, a finished job a ValidationException; get by bare id", async () => {
    await engine.blobs.put("s3://batch-in/quick/records.jsonl", jsonl(2));
    const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("quick", "s3://batch-in/quick/records.jsonl", "s3://batch-out/q"), ANONYMOUS);
    await finished(jobArn);
    assert.equal((await get(jobArn.slice(-12))).jobArn, jobArn);
    await assert.rejects(engine.jobs.batchJobs.stop(jobArn), (err: unknown) => err instanceof BedrockError && err.errorName === "ValidationException");
    await assert.rejects(get("arn:aws:bedrock:us-east-1:000000000000:model-invocation-job/zzzzzzzzzzzz"), (err: unknown) => err instanceof BedrockError && err.errorName === "ResourceNotFoundException");
    await assert.rejects(engine.jobs.batchJobs.stop("qqqqqqqqqqqq"), (err: unknown) => err instanceof BedrockError && err.errorName === "ResourceNotFoundException");
  });

  test("a job whose timeout passes mid-run ends PartiallyCompleted with what ran", async () => {
    await engine.blobs.put("s3://batch-in/timeout/records.jsonl", jsonl(30, (i) => `/slow 100 r${i}`));
    const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("timeout", "s3://batch-in/timeout/records.jsonl", "s3://batch-out/t", { timeoutDurationInHours: 24 }), ANONYMOUS);
    const submitted = await get(jobArn);
    assert.equal(submitted.timeoutDurationInHours, 24);
    assert.equal(Date.parse(submitted.jobExpirationTime!) - Date.parse(submitted.submitTime), 24 * 3_600_000);
    await waitFor(async () => engine.calls.filter((c) => c.ctx.jobArn === jobArn).length, (n) => n >= 3);
    // The clock cannot be moved 24 hours; move the deadline instead.
    await engine.db.execute("UPDATE basalt_jobs SET expires_at = $1 WHERE arn = $2", [Date.now(), jobArn]);
    const job = await finished(jobArn);
    assert.equal(job.status, "PartiallyCompleted");
    assert.match(job.message ?? "", /timeout/);
    assert.ok((job.processedRecordCount ?? 0) < 30);
  });
});

describe("a Submitted batch job on an idle node", () => {
  test("stops at once", async () => {
    const engine = await startEngine({ idle: true });
    try {
      const { jobArn } = await engine.jobs.batchJobs.create(batchRequest("never", "s3://batch-in/x.jsonl", "s3://batch-out/x"), ANONYMOUS);
      assert.equal((await engine.jobs.batchJobs.get(jobArn)).status, "Submitted");
      await engine.jobs.batchJobs.stop(jobArn);
      const job = await engine.jobs.batchJobs.get(jobArn);
      assert.equal(job.status, "Stopped");
      assert.ok(job.endTime);
    } finally {
      await engine.close();
    }
  });
});

describe("a node stopped mid-batch", () => {
  test("hands its running records back; the next start finishes the job, no finished record runs again", async () => {
    const first = await startEngine({ config: { concurrency: 2 } });
    await first.blobs.put("s3://batch-in/resume/records.jsonl", jsonl(20, (i) => `/slow 60 resume ${i}`));
    const { jobArn } = await first.jobs.batchJobs.create(batchRequest("resume", "s3://batch-in/resume/records.jsonl", "s3://batch-out/r"), ANONYMOUS);
    await waitFor(async () => (await first.jobs.batchJobs.get(jobArn)).processedRecordCount ?? 0, (n) => n >= 5);
    await first.jobs.stop(0);
    const doneBefore = (await first.jobs.batchJobs.get(jobArn)).processedRecordCount ?? 0;
    await first.db.close();

    const second = await startEngine({ dataDir: first.dataDir });
    try {
      const job = await waitFor(() => second.jobs.batchJobs.get(jobArn), (j) => BATCH_FINAL.has(j.status ?? ""));
      assert.equal(job.status, "Completed");
      const lines = await readLines(second, `s3://batch-out/r/${jobArn.slice(-12)}/records.jsonl.out`);
      assert.deepEqual(lines.map((l) => l.recordId), Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(3, "0")}`));
      assert.equal(second.calls.length, 20 - doneBefore, "the second node ran only the records the first had not finished");
    } finally {
      await second.close();
    }
  });
});
