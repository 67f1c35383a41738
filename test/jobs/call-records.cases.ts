// A job's model calls leave call records like live calls do — the observers (ledger, metrics) see them —
// marked with the job's front door: "async" for StartAsyncInvoke, "batch" for batch records.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import { GetAsyncInvokeCommand, StartAsyncInvokeCommand } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { CallRecord } from "../../src/core/call-record.js";
import { LocalBlobStore } from "../../src/storage/local-blob-store.js";
import { h2Client } from "../helpers/clients.js";
import { controlPlaneClient } from "./e2e-harness.js";
import { BATCH_FINAL, waitFor } from "./harness.js";

test("async and batch model calls reach the observers as records of front door async / batch", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-records-"));
  const records: CallRecord[] = [];
  const config = parseConfig(`server: { port: 0, dataDir: ${JSON.stringify(dataDir)} }\njobs: { pollMs: 50 }\n`, "test");
  const basalt = await startBasalt(config, { observers: [{ name: "collect", observe: (r) => void records.push(r) }] });
  try {
    const runtime = h2Client(basalt.url);
    const { invocationArn } = await runtime.send(new StartAsyncInvokeCommand({
      modelId: "basalt.echo", modelInput: { inputText: "counted tokens here" }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://rec/async" } },
    }));
    await waitFor(() => runtime.send(new GetAsyncInvokeCommand({ invocationArn })), (j) => j.status !== "InProgress");

    await new LocalBlobStore(join(dataDir, "s3")).put("s3://rec/in.jsonl", '{"recordId":"a","modelInput":{"inputText":"one two"}}\n{"recordId":"b","modelInput":{"inputText":"/error ModelTimeoutException too slow"}}\n');
    const cp = controlPlaneClient(basalt.url);
    const { jobArn } = await cp.send(new CreateModelInvocationJobCommand({
      jobName: "records", roleArn: "arn:aws:iam::123456789012:role/r", modelId: "basalt.echo",
      inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://rec/in.jsonl" } }, outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://rec/out" } },
    }));
    await waitFor(() => cp.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn })), (j) => BATCH_FINAL.has(j.status ?? ""));

    const asyncCall = records.find((r) => r.frontDoor === "async");
    assert.ok(asyncCall, "a record for the async invocation's model call");
    assert.equal(asyncCall.operation, "InvokeModel");
    assert.equal(asyncCall.modelId, "basalt.echo");
    assert.equal(asyncCall.provider, "echo");
    assert.equal(asyncCall.inputTokens, 3);
    assert.equal(asyncCall.status, 200);
    const batchCalls = records.filter((r) => r.frontDoor === "batch");
    assert.equal(batchCalls.length, 2);
    const failed = batchCalls.find((r) => r.errorName);
    assert.equal(failed?.errorName, "ModelTimeoutException");
    assert.equal(failed?.status, 408);
    // The HTTP calls themselves are the runtime's and control plane's own records.
    assert.ok(records.some((r) => r.frontDoor === "bedrock" && r.operation === "StartAsyncInvoke"));
    assert.ok(records.some((r) => r.frontDoor === "control-plane" && r.operation === "CreateModelInvocationJob"));
  } finally {
    await basalt.stop();
  }
});
