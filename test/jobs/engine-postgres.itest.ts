// Several nodes on one Postgres: two engines (separate pools, as two processes would have) share one
// 200-record batch. Both take records, none runs twice, and the output holds each record once. Then a
// node that dies holding claims has its work taken over once its lease runs out.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PostgresDatabase } from "../../src/storage/postgres-database.js";
import { startPostgres, type RunningPostgres } from "../helpers/services.js";
import { ASYNC_FINAL, BATCH_FINAL, batchRequest, jsonl, sleep, startEngine, waitFor, type Engine } from "./harness.js";
import { ANONYMOUS } from "../../src/core/caller.js";

describe("two nodes on Postgres", () => {
  let postgres: RunningPostgres;
  const dbs: PostgresDatabase[] = [];
  before(async () => (postgres = await startPostgres()));
  after(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    await postgres.stop();
  });
  const database = () => {
    const db = new PostgresDatabase({ url: postgres.url });
    dbs.push(db);
    return db;
  };

  test("one 200-record batch is spread over both nodes and every record runs exactly once", async () => {
    const slowly = { script: async (input: Record<string, unknown>) => (await sleep(10), { body: { echo: input.prompt }, inputTokens: 1, outputTokens: 1 }) };
    const a = await startEngine({ db: database(), config: { concurrency: 4, pollMs: 20 }, ...slowly });
    const b = await startEngine({ db: database(), config: { concurrency: 4, pollMs: 20 }, ...slowly, blobs: a.blobs });
    try {
      await a.blobs.put("s3://pg-in/big/records.jsonl", jsonl(200));
      const { jobArn } = await a.jobs.batchJobs.create(batchRequest("big", "s3://pg-in/big/records.jsonl", "s3://pg-out/"), ANONYMOUS);
      const job = await waitFor(() => b.jobs.batchJobs.get(jobArn), (j) => BATCH_FINAL.has(j.status ?? ""), 60_000);
      assert.equal(job.status, "Completed");
      const ids = [...a.calls, ...b.calls].map((c) => c.ctx.recordId);
      assert.equal(ids.length, 200, "200 model calls in all");
      assert.equal(new Set(ids).size, 200, "no record ran twice");
      assert.ok(a.calls.length > 0 && b.calls.length > 0, `both nodes worked (${a.calls.length} / ${b.calls.length})`);
      const lines = (await a.blobs.get(`s3://pg-out/${jobArn.slice(-12)}/records.jsonl.out`)).toString("utf8").trimEnd().split("\n");
      assert.equal(lines.length, 200);
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as { recordId: string }).recordId), Array.from({ length: 200 }, (_, i) => `r${String(i).padStart(3, "0")}`));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("async invocations submitted on one node run once across both", async () => {
    const a = await startEngine({ db: database(), config: { concurrency: 2, pollMs: 20 } });
    const b = await startEngine({ db: database(), config: { concurrency: 2, pollMs: 20 }, blobs: a.blobs });
    try {
      const arns: string[] = [];
      for (let i = 0; i < 20; i++) {
        const node = i % 2 ? a : b;
        arns.push((await node.jobs.asyncInvokes.start({ modelId: "m.x", modelInput: { prompt: `n${i}` }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://pg-out/async" } } }, ANONYMOUS)).invocationArn);
      }
      for (const arn of arns) assert.equal((await waitFor(() => a.jobs.asyncInvokes.get(arn), (j) => ASYNC_FINAL.has(j.status))).status, "Completed");
      const runs = [...a.calls, ...b.calls].map((c) => c.ctx.jobArn);
      assert.equal(runs.length, 20);
      assert.equal(new Set(runs).size, 20);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("records that outlast the lease are kept by the heartbeat, not taken over", async () => {
    const long = { script: async (input: Record<string, unknown>) => (await sleep(2500), { body: { echo: input.prompt } }) };
    const config = { concurrency: 4, leaseMs: 1000, pollMs: 20 };
    const a = await startEngine({ db: database(), config, ...long });
    const b = await startEngine({ db: database(), config, ...long, blobs: a.blobs });
    try {
      await a.blobs.put("s3://pg-in/long/records.jsonl", jsonl(3));
      const { jobArn } = await a.jobs.batchJobs.create(batchRequest("long", "s3://pg-in/long/records.jsonl", "s3://pg-out/long"), ANONYMOUS);
      const job = await waitFor(() => a.jobs.batchJobs.get(jobArn), (j) => BATCH_FINAL.has(j.status ?? ""), 30_000);
      assert.equal(job.status, "Completed");
      const ids = [...a.calls, ...b.calls].map((c) => c.ctx.recordId);
      assert.equal(ids.length, 3, `each record ran once: ${ids.join(", ")}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("a node that stops answering loses its records after the lease; another node finishes them", async () => {
    // The first node's model hangs forever and its heartbeat is stopped, as if the process were frozen.
    const frozen = await startEngine({ db: database(), config: { concurrency: 3, leaseMs: 1500, pollMs: 20 }, script: () => new Promise(() => undefined) });
    await frozen.blobs.put("s3://pg-in/lease/records.jsonl", jsonl(10));
    const { jobArn } = await frozen.jobs.batchJobs.create(batchRequest("lease", "s3://pg-in/lease/records.jsonl", "s3://pg-out/lease"), ANONYMOUS);
    await waitFor(async () => frozen.calls.length, (n) => n === 3);
    stopHeartbeat(frozen);
    const healthy = await startEngine({ db: database(), config: { concurrency: 3, leaseMs: 1500, pollMs: 20 }, blobs: frozen.blobs });
    try {
      const job = await waitFor(() => healthy.jobs.batchJobs.get(jobArn), (j) => BATCH_FINAL.has(j.status ?? ""), 30_000);
      assert.equal(job.status, "Completed");
      assert.equal(healthy.calls.length, 10, "the healthy node ran all ten, the three taken over included");
      const lines = (await healthy.blobs.get(`s3://pg-out/lease/${jobArn.slice(-12)}/records.jsonl.out`)).toString("utf8").trimEnd().split("\n");
      assert.equal(lines.length, 10);
    } finally {
      await healthy.close();
      await frozen.close();
    }
  });
});

/** Stops a worker's lease renewals (a frozen process), without the graceful hand-back stop() would do. */
function stopHeartbeat(engine: Engine): void {
  clearInterval((engine.jobs.worker as unknown as { heartbeat: NodeJS.Timeout }).heartbeat);
}
