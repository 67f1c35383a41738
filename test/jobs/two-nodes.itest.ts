// Two Basalt processes on one Postgres (and one S3-compatible store) share one batch job: the records are
// spread over both nodes and none is sent to the model twice. Then a node is killed mid-batch and the
// other finishes its records once their lease has run out.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import { completion, startOpenAIUpstream, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import { startPostgres, startS3rver, type RunningPostgres, type RunningS3rver } from "../helpers/services.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { controlPlaneClient, getText, putObject, s3Client, storageYaml } from "./e2e-harness.js";
import { BATCH_FINAL, sleep, waitFor } from "./harness.js";

const MODEL = "meta.llama3-8b-instruct-v1:0";

describe("two nodes on Postgres", () => {
  let postgres: RunningPostgres;
  let s3: RunningS3rver;
  let upstream: FakeOpenAIUpstream;
  let delayMs = 5;
  /** record number → nodes that sent it upstream, in order. */
  const calls = new Map<number, string[]>();
  const nodes = new Map<string, RunningBasalt>();

  before(async () => {
    [postgres, s3] = await Promise.all([startPostgres(), startS3rver({ buckets: ["nodes"] })]);
    upstream = await startOpenAIUpstream(async (req) => {
      const n = Number(/record (\d+)/.exec(JSON.stringify(req.body.messages))?.[1]);
      calls.set(n, [...(calls.get(n) ?? []), String(req.headers["x-basalt-node"])]);
      await sleep(delayMs);
      return { json: completion({ content: `answer ${n}`, usage: { prompt: 2, completion: 2 } }) };
    });
  });
  after(async () => {
    await Promise.all([...nodes.values()].map((n) => n.stop()));
    await upstream?.close();
    await Promise.all([postgres?.stop(), s3?.stop()]);
  });

  async function startNode(name: string): Promise<RunningBasalt> {
    const yaml = storageYaml(s3).replace("storage:\n", `storage:\n  postgres: ${JSON.stringify(postgres.url)}\n`) +
      `jobs: { concurrency: 4, pollMs: 50, leaseMs: 5000 }
providers:
  fake: { type: openai, baseUrl: "${upstream.baseUrl}", headers: { x-basalt-node: ${name} } }
models:
  - { id: "${MODEL}", provider: fake, model: llama }
`;
    const node = await startBasalt({ config: writeConfig(yaml) });
    nodes.set(name, node);
    return node;
  }

  async function submit(node: RunningBasalt, name: string, n: number): Promise<string> {
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ recordId: `${name}-${i}`, modelInput: { prompt: `record ${i}` } }));
    await putObject(s3Client(s3), `s3://nodes/${name}/in.jsonl`, lines.join("\n"));
    const { jobArn } = await controlPlaneClient(node.url).send(new CreateModelInvocationJobCommand({
      jobName: name, roleArn: "arn:aws:iam::123456789012:role/r", modelId: MODEL,
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://nodes/${name}/in.jsonl` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://nodes/${name}/out` } },
    }));
    return jobArn!;
  }

  /** The nodes' job-engine log lines, for a failure message. */
  const jobLogs = () =>
    [...nodes].map(([name, n]) => n.output().split("\n").filter((l) => /jobs|taken over/.test(l)).map((l) => `node ${name}: ${l}`).join("\n")).join("\n");

  const get = (node: RunningBasalt, jobIdentifier: string) => controlPlaneClient(node.url).send(new GetModelInvocationJobCommand({ jobIdentifier }));

  async function outputIds(name: string, jobArn: string): Promise<string[]> {
    return (await getText(s3Client(s3), `s3://nodes/${name}/out/${jobArn.slice(-12)}/in.jsonl.out`)).trimEnd().split("\n").map((l) => JSON.parse(l).recordId as string);
  }

  test("a 200-record batch is processed by both nodes, no record run twice", async () => {
    // One after the other: two cold starts at once (each migrating the shared database) are slow on a busy machine.
    const a = await startNode("a");
    const b = await startNode("b");
    calls.clear();
    const jobArn = await submit(a, "shared", 200);
    const job = await waitFor(() => get(b, jobArn), (j) => BATCH_FINAL.has(j.status ?? ""), 60_000);
    assert.equal(job.status, "Completed");
    assert.equal(job.successRecordCount, 200);
    for (let i = 0; i < 200; i++) assert.equal(calls.get(i)?.length, 1, `record ${i} sent upstream ${calls.get(i)?.length ?? 0} times\n${jobLogs()}`);
    const byNode = [...calls.values()].flat();
    const onA = byNode.filter((n) => n === "a").length;
    assert.ok(onA > 0 && onA < 200, `both nodes ran records (a: ${onA}, b: ${200 - onA})`);
    assert.deepEqual(await outputIds("shared", jobArn), Array.from({ length: 200 }, (_, i) => `shared-${i}`));
  });

  test("a node killed mid-batch: the other takes its records over after the lease; output has each once", async () => {
    const [a, b] = [nodes.get("a")!, nodes.get("b")!];
    calls.clear();
    delayMs = 40;
    const jobArn = await submit(a, "takeover", 100);
    await waitFor(() => get(b, jobArn), (j) => (j.processedRecordCount ?? 0) >= 20, 30_000);
    await a.stop("SIGKILL");
    const job = await waitFor(() => get(b, jobArn), (j) => BATCH_FINAL.has(j.status ?? ""), 60_000);
    assert.equal(job.status, "Completed");
    assert.equal(job.successRecordCount, 100);
    assert.deepEqual(await outputIds("takeover", jobArn), Array.from({ length: 100 }, (_, i) => `takeover-${i}`));
    const repeated = [...calls.entries()].filter(([, by]) => by.length > 1);
    // Only a record node a was running when it died can be sent twice, and then a second time by b.
    assert.ok(repeated.length <= 4, `${repeated.length} records repeated`);
    for (const [n, by] of repeated) assert.deepEqual(by, ["a", "b"], `record ${n}: ${by.join(", ")}\n${jobLogs()}`);
  });
});
