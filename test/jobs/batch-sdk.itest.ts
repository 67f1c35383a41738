// Batch inference through @aws-sdk/client-bedrock against the CLI, inputs and outputs in a real
// S3-compatible server (s3rver): a 50-record job with one failing record, Stop mid-job, list and get.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BedrockClient, CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand,
  ResourceNotFoundException, StopModelInvocationJobCommand, ValidationException, ConflictException,
} from "@aws-sdk/client-bedrock";
import { startS3rver, type RunningS3rver } from "../helpers/services.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { controlPlaneClient, getText, putObject, s3Client, storageYaml } from "./e2e-harness.js";
import { BATCH_FINAL, waitFor } from "./harness.js";

const ROLE = "arn:aws:iam::123456789012:role/BatchRole";

function records(n: number, text: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ recordId: `REC${String(i).padStart(8, "0")}`, modelInput: { inputText: text(i) } })).join("\n") + "\n";
}

describe("batch inference through the JS SDK", () => {
  let s3: RunningS3rver;
  let basalt: RunningBasalt;
  let client: BedrockClient;

  before(async () => {
    s3 = await startS3rver({ buckets: ["batch-in", "batch-out"] });
    basalt = await startBasalt({ config: writeConfig(storageYaml(s3) + "jobs: { concurrency: 8, pollMs: 50 }\n") });
    client = controlPlaneClient(basalt.url);
  });
  after(async () => {
    await basalt?.stop();
    await s3?.stop();
  });

  const create = (name: string, input: string, extra: Record<string, unknown> = {}) =>
    client.send(new CreateModelInvocationJobCommand({
      jobName: name, roleArn: ROLE, modelId: "basalt.echo",
      inputDataConfig: { s3InputDataConfig: { s3Uri: input } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://batch-out/results/" } },
      ...extra,
    }));
  const get = (jobIdentifier: string) => client.send(new GetModelInvocationJobCommand({ jobIdentifier }));
  const finished = (arn: string) => waitFor(() => get(arn), (j) => BATCH_FINAL.has(j.status ?? ""), 30_000);

  test("50 records, one failing: PartiallyCompleted, 50 output lines in order, a correct manifest", async () => {
    await putObject(s3Client(s3), "s3://batch-in/fifty/input.jsonl", records(50, (i) => (i === 31 ? "/error ValidationException record 31 is bad" : `record number ${i}`)));
    const { jobArn } = await create("fifty-records", "s3://batch-in/fifty/input.jsonl", { clientRequestToken: "batch-token-1" });
    assert.match(jobArn!, /^arn:aws:bedrock:us-east-1:\d{12}:model-invocation-job\/[a-z0-9]{12}$/);
    const job = await finished(jobArn!);
    assert.equal(job.status, "PartiallyCompleted");
    assert.equal(job.totalRecordCount, 50);
    assert.equal(job.processedRecordCount, 50);
    assert.equal(job.successRecordCount, 49);
    assert.equal(job.errorRecordCount, 1);
    assert.equal(job.jobName, "fifty-records");
    assert.equal(job.roleArn, ROLE);
    assert.equal(job.clientRequestToken, "batch-token-1");
    assert.ok(job.submitTime instanceof Date && job.endTime instanceof Date && job.jobExpirationTime instanceof Date);

    const id = jobArn!.slice(-12);
    const lines = (await getText(s3Client(s3), `s3://batch-out/results/${id}/input.jsonl.out`)).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 50);
    assert.deepEqual(lines.map((l) => l.recordId), Array.from({ length: 50 }, (_, i) => `REC${String(i).padStart(8, "0")}`));
    assert.deepEqual(lines[0].modelInput, { inputText: "record number 0" });
    assert.equal(lines[0].modelOutput.outputText, "record number 0");
    assert.deepEqual(lines[31].error, { errorCode: 400, errorMessage: "record 31 is bad" });
    assert.equal(lines[31].modelOutput, undefined);
    const tokens = lines.filter((l) => l.modelOutput).reduce((n, l) => n + l.modelOutput.usage.inputTokens, 0);
    const manifest = JSON.parse(await getText(s3Client(s3), `s3://batch-out/results/${id}/manifest.json.out`));
    assert.deepEqual(manifest, {
      totalRecordCount: 50, processedRecordCount: 50, successRecordCount: 49, errorRecordCount: 1, inputTokenCount: tokens, outputTokenCount: tokens,
    });

    // The same token and request again: the same job, no second run. A different request: ConflictException.
    const again = await create("fifty-records", "s3://batch-in/fifty/input.jsonl", { clientRequestToken: "batch-token-1" });
    assert.equal(again.jobArn, jobArn);
    await assert.rejects(create("another-name", "s3://batch-in/fifty/input.jsonl", { clientRequestToken: "batch-token-1" }), (err: unknown) => err instanceof ConflictException);
  });

  test("Stop mid-job: Stopping, then Stopped with the records that ran in the output", async () => {
    await putObject(s3Client(s3), "s3://batch-in/slow/input.jsonl", records(40, (i) => `/slow 40 slow record ${i} a b c`));
    const { jobArn } = await create("slow-one", "s3://batch-in/slow/input.jsonl");
    await waitFor(() => get(jobArn!), (j) => (j.processedRecordCount ?? 0) >= 8);
    await client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
    const right = await get(jobArn!);
    assert.ok(right.status === "Stopping" || right.status === "Stopped", right.status);
    const job = await finished(jobArn!);
    assert.equal(job.status, "Stopped");
    assert.ok(job.processedRecordCount! < 40, `stopped early (${job.processedRecordCount} of 40)`);
    const lines = (await getText(s3Client(s3), `s3://batch-out/results/${jobArn!.slice(-12)}/input.jsonl.out`)).trimEnd().split("\n");
    assert.equal(lines.length, job.processedRecordCount);
    const manifest = JSON.parse(await getText(s3Client(s3), `s3://batch-out/results/${jobArn!.slice(-12)}/manifest.json.out`));
    assert.equal(manifest.totalRecordCount, 40);
    assert.equal(manifest.processedRecordCount, job.processedRecordCount);
    await assert.rejects(client.send(new StopModelInvocationJobCommand({ jobIdentifier: (await finished((await create("done-job", "s3://batch-in/fifty/input.jsonl")).jobArn!)).jobArn })), (err: unknown) => err instanceof ValidationException);
  });

  test("list: nameContains, statusEquals, sort and pages", async () => {
    const names = ["list-alpha-1", "list-beta", "list-alpha-2"];
    for (const n of names) await create(n, "s3://batch-in/fifty/input.jsonl");
    const alphas = await client.send(new ListModelInvocationJobsCommand({ nameContains: "alpha", sortOrder: "Ascending", sortBy: "CreationTime" }));
    assert.deepEqual(alphas.invocationJobSummaries?.map((j) => j.jobName), ["list-alpha-1", "list-alpha-2"]);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListModelInvocationJobsCommand({ maxResults: 2, nextToken }));
      assert.ok((page.invocationJobSummaries ?? []).length <= 2);
      seen.push(...(page.invocationJobSummaries ?? []).map((j) => j.jobName!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen.slice(0, 3), [...names].reverse(), "newest first");
    assert.equal(new Set(seen).size, seen.length);
    const stopped = await client.send(new ListModelInvocationJobsCommand({ statusEquals: "Stopped" }));
    assert.deepEqual(stopped.invocationJobSummaries?.map((j) => j.jobName), ["slow-one"]);
  });

  test("errors: unknown job → ResourceNotFoundException; bad request members → ValidationException", async () => {
    await assert.rejects(get("arn:aws:bedrock:us-east-1:000000000000:model-invocation-job/zzzzzzzzzzzz"), (err: unknown) => err instanceof ResourceNotFoundException);
    await assert.rejects(get("not a job"), (err: unknown) => err instanceof ValidationException && /jobIdentifier/.test((err as Error).message));
    await assert.rejects(create("bad name!", "s3://batch-in/fifty/input.jsonl"), (err: unknown) => err instanceof ValidationException && /jobName/.test((err as Error).message));
    await assert.rejects(create("timeout", "s3://batch-in/fifty/input.jsonl", { timeoutDurationInHours: 2 }), (err: unknown) => err instanceof ValidationException && /timeoutDurationInHours/.test((err as Error).message));
    await assert.rejects(
      client.send(new CreateModelInvocationJobCommand({
        jobName: "unknown-model", roleArn: ROLE, modelId: "no.such-model-v1",
        inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://batch-in/x.jsonl" } }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://batch-out/x/" } },
      })),
      (err: unknown) => err instanceof ValidationException,
    );
  });
});
