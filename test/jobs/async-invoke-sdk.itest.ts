// StartAsyncInvoke / GetAsyncInvoke / ListAsyncInvokes through @aws-sdk/client-bedrock-runtime against the
// CLI, with outputs read back from a real S3-compatible server (s3rver): basalt.echo and a model served by a
// fake OpenAI-compatible upstream, a failing upstream, list filters/sort/pages over 25 jobs, idempotency.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BedrockRuntimeClient, ConflictException, GetAsyncInvokeCommand, InvokeModelCommand, ListAsyncInvokesCommand,
  StartAsyncInvokeCommand, ValidationException, paginateListAsyncInvokes, type AsyncInvokeSummary, type ListAsyncInvokesCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import type { DocumentType } from "@smithy/types";
import { errorBody, startOpenAIUpstream, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import { h2Client } from "../helpers/clients.js";
import { startS3rver, type RunningS3rver } from "../helpers/services.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { getText, s3Client, storageYaml } from "./e2e-harness.js";
import { sleep, waitFor } from "./harness.js";

const LLAMA = "meta.llama3-8b-instruct-v1:0";

describe("async invoke through the JS SDK", () => {
  let s3: RunningS3rver;
  let upstream: FakeOpenAIUpstream;
  let basalt: RunningBasalt;
  let client: BedrockRuntimeClient;

  before(async () => {
    s3 = await startS3rver({ buckets: ["async-out"] });
    upstream = await startOpenAIUpstream();
    const config = writeConfig(
      storageYaml(s3) +
        `jobs: { concurrency: 4, pollMs: 50 }
providers:
  fake: { type: openai, baseUrl: "${upstream.baseUrl}" }
models:
  - { id: basalt.echo, provider: echo }
  - { id: "${LLAMA}", provider: fake, model: "llama3.1:8b" }
`,
    );
    basalt = await startBasalt({ config });
    client = h2Client(basalt.url);
  });
  after(async () => {
    await basalt?.stop();
    await upstream?.close();
    await s3?.stop();
  });

  const out = { s3OutputDataConfig: { s3Uri: "s3://async-out/runs/" } };
  const start = (modelId: string, modelInput: DocumentType, extra: Record<string, unknown> = {}) =>
    client.send(new StartAsyncInvokeCommand({ modelId, modelInput, outputDataConfig: out, ...extra }));
  const finished = (invocationArn: string) =>
    waitFor(() => client.send(new GetAsyncInvokeCommand({ invocationArn })), (j) => j.status !== "InProgress");
  const outputOf = async (arn: string) => JSON.parse(await getText(s3Client(s3), `s3://async-out/runs/${arn.slice(-12)}/output.json`)) as Record<string, unknown>;

  test("basalt.echo: Completed, and output.json in S3 is the body InvokeModel answers", async () => {
    const modelInput = { inputText: "hello from the background", maxTokens: 3 };
    const { invocationArn } = await start("basalt.echo", modelInput);
    assert.match(invocationArn!, /^arn:aws:bedrock:us-east-1:\d{12}:async-invoke\/[a-z0-9]{12}$/);
    const job = await finished(invocationArn!);
    assert.equal(job.status, "Completed");
    assert.ok(job.submitTime instanceof Date && job.endTime instanceof Date && job.lastModifiedTime instanceof Date);
    assert.ok(job.endTime >= job.submitTime);
    assert.equal(job.modelArn, "arn:aws:bedrock:us-east-1::foundation-model/basalt.echo");
    assert.deepEqual(job.outputDataConfig, out);

    const live = await client.send(new InvokeModelCommand({ modelId: "basalt.echo", body: JSON.stringify(modelInput) }));
    const expected = JSON.parse(new TextDecoder().decode(live.body)) as Record<string, unknown>;
    assert.deepEqual(await outputOf(invocationArn!), expected);
    assert.equal(expected.outputText, "hello from the");
    const manifest = JSON.parse(await getText(s3Client(s3), `s3://async-out/runs/${invocationArn!.slice(-12)}/manifest.json`));
    assert.equal(manifest.invocationArn, invocationArn);
  });

  test("a model behind a fake upstream: the upstream is called once and its answer is in output.json", async () => {
    const before = upstream.requests.length;
    const { invocationArn } = await start(LLAMA, { prompt: "<|begin_of_text|>Say hi", max_gen_len: 32 });
    assert.equal((await finished(invocationArn!)).status, "Completed");
    assert.equal(upstream.requests.length - before, 1);
    assert.equal(upstream.requests[before].body.model, "llama3.1:8b");
    const body = await outputOf(invocationArn!);
    assert.equal(body.generation, "Hello from the fake.");
    assert.equal(body.stop_reason, "stop");
  });

  test("a failing upstream ends the job Failed with a message, and no output", async () => {
    upstream.enqueue({ status: 400, json: errorBody("this prompt is not acceptable", "invalid_request_error", null) });
    const { invocationArn } = await start(LLAMA, { prompt: "bad prompt" });
    const job = await finished(invocationArn!);
    assert.equal(job.status, "Failed");
    assert.match(job.failureMessage ?? "", /this prompt is not acceptable/);
    assert.ok(job.endTime);
    await assert.rejects(getText(s3Client(s3), `s3://async-out/runs/${invocationArn!.slice(-12)}/output.json`));
  });

  test("clientRequestToken: same request → same ARN; different request → ConflictException", async () => {
    const a = await start("basalt.echo", { inputText: "once" }, { clientRequestToken: "sdk-token-0001" });
    const b = await start("basalt.echo", { inputText: "once" }, { clientRequestToken: "sdk-token-0001" });
    assert.equal(a.invocationArn, b.invocationArn);
    await assert.rejects(start("basalt.echo", { inputText: "twice" }, { clientRequestToken: "sdk-token-0001" }), (err: unknown) => {
      assert.ok(err instanceof ConflictException, String(err));
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
    const job = await client.send(new GetAsyncInvokeCommand({ invocationArn: a.invocationArn }));
    assert.equal(job.clientRequestToken, "sdk-token-0001");
  });

  test("bad requests: unknown model, malformed native body, bad S3 URI, unknown ARN are ValidationExceptions", async () => {
    const isValidation = (err: unknown) => err instanceof ValidationException;
    await assert.rejects(start("no.such-model-v1", { inputText: "x" }), (err: unknown) => isValidation(err) && (err as Error).message === "The provided model identifier is invalid.");
    await assert.rejects(start("basalt.echo", { text: "no inputText" }), (err: unknown) => isValidation(err) && /Malformed input request/.test((err as Error).message));
    await assert.rejects(
      client.send(new StartAsyncInvokeCommand({ modelId: "basalt.echo", modelInput: { inputText: "x" }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "http://not-s3" } } })),
      (err: unknown) => isValidation(err) && /s3Uri/.test((err as Error).message),
    );
    await assert.rejects(client.send(new GetAsyncInvokeCommand({ invocationArn: "arn:aws:bedrock:us-east-1:000000000000:async-invoke/zzzzzzzzzzzz" })), isValidation);
    await assert.rejects(client.send(new GetAsyncInvokeCommand({ invocationArn: "not-an-arn" })), (err: unknown) => isValidation(err) && /failed to satisfy constraint/.test((err as Error).message));
  });

  test("GET /async-invoke?maxResults=1 answers (a client's credential probe)", async () => {
    const res = await fetch(`${basalt.url}/async-invoke?maxResults=1`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    const body = (await res.json()) as { asyncInvokeSummaries: unknown[] };
    assert.ok(Array.isArray(body.asyncInvokeSummaries));
    assert.ok(body.asyncInvokeSummaries.length <= 1);
    const bad = await fetch(`${basalt.url}/async-invoke?maxResults=0`);
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get("x-amzn-errortype") ?? "", /^ValidationException/);
  });

  describe("listing 25 jobs", () => {
    const arns: string[] = [];
    let middle: Date;
    before(async () => {
      for (let i = 0; i < 25; i++) {
        if (i === 15) {
          await sleep(20);
          middle = new Date();
          await sleep(20);
        }
        const inputText = i % 4 === 0 ? "/error ModelTimeoutException took too long" : `listing ${i}`;
        arns.push((await start("basalt.echo", { inputText }, { clientRequestToken: `list-token-${i}` })).invocationArn!);
      }
      for (const arn of arns) await finished(arn);
    });

    const ours = (list: AsyncInvokeSummary[]) => list.map((j) => j.invocationArn!).filter((a) => arns.includes(a));
    async function all(input: ListAsyncInvokesCommandInput): Promise<AsyncInvokeSummary[]> {
      const out: AsyncInvokeSummary[] = [];
      for await (const page of paginateListAsyncInvokes({ client, pageSize: input.maxResults }, input)) {
        assert.ok((page.asyncInvokeSummaries ?? []).length <= (input.maxResults ?? 1000));
        out.push(...(page.asyncInvokeSummaries ?? []));
      }
      return out;
    }

    test("sortOrder and pagination: pages of 4 cover every job once, in order", async () => {
      const desc = await all({ maxResults: 4, submitTimeAfter: new Date(Date.now() - 3_600_000) });
      assert.deepEqual(ours(desc), [...arns].reverse());
      assert.equal(new Set(desc.map((j) => j.invocationArn)).size, desc.length, "no job twice");
      const asc = await all({ maxResults: 4, sortOrder: "Ascending", sortBy: "SubmissionTime" });
      assert.deepEqual(ours(asc), arns);
      for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1].submitTime! <= asc[i].submitTime!);
    });

    test("statusEquals and the submit-time window", async () => {
      const failed = await all({ statusEquals: "Failed", maxResults: 3 });
      assert.deepEqual(ours(failed), arns.filter((_, i) => i % 4 === 0).reverse());
      assert.ok(failed.every((j) => j.status === "Failed" && j.failureMessage));
      const after = await all({ submitTimeAfter: middle, sortOrder: "Ascending" });
      assert.deepEqual(ours(after), arns.slice(15));
      const before = await all({ submitTimeBefore: middle, sortOrder: "Ascending" });
      assert.deepEqual(ours(before), arns.slice(0, 15));
    });

    test("a nextToken that is not ours is a ValidationException", async () => {
      await assert.rejects(client.send(new ListAsyncInvokesCommand({ nextToken: "bm90LWEtdG9rZW4" })), (err: unknown) => err instanceof ValidationException);
    });
  });
});
