// ListAsyncInvokes / ListModelInvocationJobs in the engine: status and time filters, both sort orders,
// keyset pages that cover every job exactly once, and a forged nextToken refused.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BedrockError } from "../../src/core/errors.js";
import type { AsyncInvokeSummary } from "../../src/core/shapes.generated.js";
import { ASYNC_FINAL, batchRequest, sleep, startEngine, waitFor, type Engine } from "./harness.js";
import { ANONYMOUS } from "../../src/core/caller.js";

describe("listing jobs (engine)", () => {
  let engine: Engine;
  const arns: string[] = [];
  let middle = "";

  before(async () => {
    engine = await startEngine();
    for (let i = 0; i < 25; i++) {
      if (i === 12) {
        await sleep(5);
        middle = new Date().toISOString();
        await sleep(5);
      }
      const prompt = i % 5 === 0 ? "/fail ValidationException nope" : `job ${i}`;
      const { invocationArn } = await engine.jobs.asyncInvokes.start(
        { modelId: "test.model-v1", modelInput: { prompt }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://list-bucket/x" } } },
        ANONYMOUS,
      );
      arns.push(invocationArn);
    }
    for (const arn of arns) await waitFor(() => engine.jobs.asyncInvokes.get(arn), (j) => ASYNC_FINAL.has(j.status));
  });
  after(() => engine.close());

  async function all(query: Parameters<Engine["jobs"]["asyncInvokes"]["list"]>[0]): Promise<AsyncInvokeSummary[]> {
    const out: AsyncInvokeSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await engine.jobs.asyncInvokes.list({ ...query, nextToken });
      assert.ok((page.asyncInvokeSummaries ?? []).length <= (query.maxResults ?? 1000));
      out.push(...(page.asyncInvokeSummaries ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  test("newest first by default; Ascending reverses; pages of 7 cover all 25 once", async () => {
    const desc = await all({ maxResults: 7 });
    assert.deepEqual(desc.map((j) => j.invocationArn), [...arns].reverse());
    const asc = await all({ maxResults: 7, sortOrder: "Ascending", sortBy: "SubmissionTime" });
    assert.deepEqual(asc.map((j) => j.invocationArn), arns);
    const first = await engine.jobs.asyncInvokes.list({ maxResults: 25 });
    assert.equal(first.asyncInvokeSummaries?.length, 25);
    assert.equal(first.nextToken, undefined, "no nextToken when the page holds the rest");
  });

  test("statusEquals filters, also across pages", async () => {
    const failed = await all({ statusEquals: "Failed", maxResults: 2 });
    assert.deepEqual(failed.map((j) => j.invocationArn), arns.filter((_, i) => i % 5 === 0).reverse());
    assert.ok(failed.every((j) => j.status === "Failed" && j.failureMessage === "nope"));
    const completed = await all({ statusEquals: "Completed" });
    assert.equal(completed.length, 20);
  });

  test("submitTimeAfter / submitTimeBefore split the jobs at a moment", async () => {
    const later = await all({ submitTimeAfter: middle, sortOrder: "Ascending" });
    const earlier = await all({ submitTimeBefore: middle, sortOrder: "Ascending" });
    assert.deepEqual(later.map((j) => j.invocationArn), arns.slice(12));
    assert.deepEqual(earlier.map((j) => j.invocationArn), arns.slice(0, 12));
  });

  test("a forged or foreign nextToken is a ValidationException", async () => {
    const page = await engine.jobs.asyncInvokes.list({ maxResults: 3 });
    assert.ok(page.nextToken);
    const isValidation = (err: unknown) => err instanceof BedrockError && err.errorName === "ValidationException";
    await assert.rejects(engine.jobs.asyncInvokes.list({ nextToken: "garbage!" }), isValidation);
    // A token from a Descending listing does not continue an Ascending one.
    await assert.rejects(engine.jobs.asyncInvokes.list({ nextToken: page.nextToken, sortOrder: "Ascending" }), isValidation);
    await assert.rejects(engine.jobs.asyncInvokes.list({ submitTimeAfter: "yesterday" }), isValidation);
  });

  test("batch jobs list with nameContains, status and pages", async () => {
    await engine.blobs.put("s3://list-bucket/in/one.jsonl", '{"recordId":"a","modelInput":{"prompt":"x"}}\n');
    const names = ["alpha-job", "beta-job", "alpha-two", "gamma"];
    for (const name of names) await engine.jobs.batchJobs.create(batchRequest(name, "s3://list-bucket/in/one.jsonl", "s3://list-bucket/out/"), ANONYMOUS);
    const alphas = await engine.jobs.batchJobs.list({ nameContains: "alpha", sortOrder: "Ascending" });
    assert.deepEqual(alphas.invocationJobSummaries?.map((j) => j.jobName), ["alpha-job", "alpha-two"]);
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await engine.jobs.batchJobs.list({ maxResults: 1, nextToken });
      paged.push(...(page.invocationJobSummaries ?? []).map((j) => j.jobName));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(paged, [...names].reverse());
    await assert.rejects(engine.jobs.batchJobs.list({ statusEquals: "Sleeping" }), (err: unknown) => err instanceof BedrockError && err.errorName === "ValidationException");
  });
});
