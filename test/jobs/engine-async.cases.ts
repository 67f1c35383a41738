// Async invocations in the engine: a job runs its modelInput once, writes output.json and manifest.json
// under `<s3Uri>/<invocation id>/`, and only then reads Completed; a refused call ends Failed with the
// model's message; clientRequestToken is idempotent.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BedrockError } from "../../src/core/errors.js";
import { ASYNC_FINAL, startEngine, waitFor, type Engine } from "./harness.js";
import { ANONYMOUS } from "../../src/core/caller.js";

const ARN = /^arn:aws:bedrock:us-east-1:000000000000:async-invoke\/[a-z0-9]{12}$/;

describe("async invoke (engine)", () => {
  let engine: Engine;
  before(async () => (engine = await startEngine()));
  after(() => engine.close());

  const start = (prompt: string, extra: Record<string, unknown> = {}) =>
    engine.jobs.asyncInvokes.start(
      { modelId: "test.model-v1", modelInput: { prompt }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://out-bucket/async/" } }, ...extra },
      ANONYMOUS,
    );
  const finished = (arn: string) => waitFor(() => engine.jobs.asyncInvokes.get(arn), (j) => ASYNC_FINAL.has(j.status));

  test("runs the model once and writes output.json and manifest.json under the invocation id", async () => {
    const { invocationArn } = await start("hello async world");
    assert.match(invocationArn, ARN);
    const job = await finished(invocationArn);
    assert.equal(job.status, "Completed");
    assert.ok(job.endTime && job.submitTime <= job.endTime, "endTime is set and not before submitTime");
    assert.equal(job.modelArn, "arn:aws:bedrock:us-east-1::foundation-model/test.model-v1");
    assert.deepEqual(job.outputDataConfig, { s3OutputDataConfig: { s3Uri: "s3://out-bucket/async/" } });

    const id = invocationArn.slice(-12);
    const output = JSON.parse((await engine.blobs.get(`s3://out-bucket/async/${id}/output.json`)).toString("utf8"));
    assert.deepEqual(output, { completion: "hello async world", recordId: null });
    const manifest = JSON.parse((await engine.blobs.get(`s3://out-bucket/async/${id}/manifest.json`)).toString("utf8"));
    assert.equal(manifest.invocationArn, invocationArn);
    assert.deepEqual(manifest.outputs, [`s3://out-bucket/async/${id}/output.json`]);
    assert.equal(manifest.inputTokenCount, 3);

    const calls = engine.calls.filter((c) => c.ctx.jobArn === invocationArn);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].ctx.frontDoor, "async");
    assert.deepEqual(calls[0].ctx.caller, ANONYMOUS);
  });

  test("a refused model call ends Failed with the model's message and writes no output", async () => {
    const { invocationArn } = await start("/fail ModelErrorException upstream said no");
    const job = await finished(invocationArn);
    assert.equal(job.status, "Failed");
    assert.equal(job.failureMessage, "upstream said no");
    assert.ok(job.endTime);
    assert.equal(await engine.blobs.exists(`s3://out-bucket/async/${invocationArn.slice(-12)}/output.json`), false);
  });

  test("a throttled invocation is tried again later, then completes", async () => {
    const { invocationArn } = await start("/throttle 2 async-a");
    const job = await finished(invocationArn);
    assert.equal(job.status, "Completed");
    assert.equal(engine.calls.filter((c) => c.ctx.jobArn === invocationArn).length, 3, "two throttled tries, then the answer");
  });

  test("an invocation throttled past the retry limit ends Failed with the throttling message", async () => {
    const { invocationArn } = await start("/throttle 1000 async-b");
    const job = await finished(invocationArn);
    assert.equal(job.status, "Failed");
    assert.match(job.failureMessage ?? "", /^slow down/);
    assert.equal(engine.calls.filter((c) => c.ctx.jobArn === invocationArn).length, 31, "the first try and 30 retries");
  });

  test("the same clientRequestToken with the same request returns the same ARN and runs once", async () => {
    const a = await start("idempotent please", { clientRequestToken: "token-same-1" });
    const b = await start("idempotent please", { clientRequestToken: "token-same-1" });
    assert.equal(a.invocationArn, b.invocationArn);
    await finished(a.invocationArn);
    assert.equal(engine.calls.filter((c) => c.ctx.jobArn === a.invocationArn).length, 1);
    const again = await engine.jobs.asyncInvokes.get(a.invocationArn);
    assert.equal(again.clientRequestToken, "token-same-1");
  });

  test("the same token with a different request is a ConflictException", async () => {
    await start("first body", { clientRequestToken: "token-conflict-1" });
    await assert.rejects(start("second body", { clientRequestToken: "token-conflict-1" }), (err: unknown) => {
      assert.ok(err instanceof BedrockError);
      assert.equal(err.errorName, "ConflictException");
      return true;
    });
  });

  test("concurrent starts with one token make one job", async () => {
    const arns = await Promise.all(Array.from({ length: 8 }, () => start("racing", { clientRequestToken: "token-race-1" })));
    assert.equal(new Set(arns.map((a) => a.invocationArn)).size, 1);
  });

  test("bad requests are ValidationExceptions: unknown model, bad S3 URI, non-object modelInput, unknown ARN", async () => {
    const isValidation = (err: unknown) => err instanceof BedrockError && err.errorName === "ValidationException";
    await assert.rejects(
      engine.jobs.asyncInvokes.start({ modelId: "no.such-model", modelInput: {}, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://b-1/x" } } }, ANONYMOUS),
      (err: unknown) => isValidation(err) && (err as Error).message === "The provided model identifier is invalid.",
    );
    await assert.rejects(
      engine.jobs.asyncInvokes.start({ modelId: "test.model-v1", modelInput: {}, outputDataConfig: { s3OutputDataConfig: { s3Uri: "https://x" } } }, ANONYMOUS),
      isValidation,
    );
    await assert.rejects(
      engine.jobs.asyncInvokes.start({ modelId: "test.model-v1", modelInput: [1, 2], outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://b-1/x" } } }, ANONYMOUS),
      isValidation,
    );
    await assert.rejects(engine.jobs.asyncInvokes.get("arn:aws:bedrock:us-east-1:000000000000:async-invoke/zzzzzzzzzzzz"), isValidation);
    await assert.rejects(engine.jobs.asyncInvokes.get("not-an-arn"), isValidation);
  });
});
