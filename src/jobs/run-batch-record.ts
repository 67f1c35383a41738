// Runs one claimed batch record and commits its result on its own row at once: the model's answer as
// `modelOutput`, or `{ errorCode, errorMessage }` when the model (or a policy) refused it. The commit is
// conditional on this node still holding the record, so a record is written exactly once.
import type { Caller } from "../core/caller.js";
import { toBedrockError } from "../core/errors.js";
import { log } from "../log.js";
import { abortable } from "./abortable.js";
import type { ClaimedRecord } from "./claims.js";
import { releaseRecord, retryRecordLater } from "./claims.js";
import { isTryLater, MAX_RETRIES } from "./retry-later.js";
import type { JobEnv } from "./job-env.js";

export interface BatchJobInfo {
  modelId: string;
  arn: string;
  caller: Caller;
  invocationType: "InvokeModel" | "Converse";
}

export async function runBatchRecord(env: JobEnv, job: BatchJobInfo, record: ClaimedRecord, owner: string, signal: AbortSignal): Promise<void> {
  let state: "done" | "error";
  let output: string;
  let inputTokens: number | null = null;
  let outputTokens: number | null = null;
  try {
    const call = env.invoke(job.modelId, JSON.parse(record.modelInput), {
      frontDoor: "batch", jobArn: job.arn, recordId: record.recordId, caller: job.caller, signal, invocationType: job.invocationType,
    });
    const out = await abortable(call, signal);
    state = "done";
    output = JSON.stringify(out.body);
    inputTokens = out.inputTokens ?? null;
    outputTokens = out.outputTokens ?? null;
  } catch (err) {
    if (signal.aborted) return releaseRecord(env.db, record.jobId, record.seq, owner);
    const e = toBedrockError(err);
    if (e !== err) log.error({ err, job: job.arn, recordId: record.recordId }, "batch record failed unexpectedly");
    if (isTryLater(e) && record.retries < MAX_RETRIES) {
      await retryRecordLater(env.db, record.jobId, record.seq, owner, env.retryDelayMs(record.retries));
      return;
    }
    state = "error";
    output = JSON.stringify({ errorCode: e.status, errorMessage: e.message });
  }
  const kept = await env.db.execute(
    `UPDATE basalt_job_records SET state = $4, output = $5, input_tokens = $6, output_tokens = $7, lease_owner = NULL, lease_until = NULL
     WHERE job_id = $1 AND seq = $2 AND lease_owner = $3 AND state = 'running'`,
    [record.jobId, record.seq, owner, state, output, inputTokens, outputTokens],
  );
  if (kept === 0) log.warn({ job: job.arn, recordId: record.recordId }, "batch record was taken over by another node; its result here is dropped");
}
