// Runs one claimed async invocation: the model call (skipped when an earlier claim already stored its
// answer), then `<s3Uri>/<invocation id>/output.json` and `manifest.json`, and only then Completed — a job is
// never Completed without its output. A model error ends the job Failed with the error's message.
import { toBedrockError } from "../core/errors.js";
import { log } from "../log.js";
import { abortable } from "./abortable.js";
import { InvalidBlobUriError } from "../storage/blob-store.js";
import { releaseJob, retryJobLater } from "./claims.js";
import { isTryLater, MAX_RETRIES } from "./retry-later.js";
import type { JobEnv } from "./job-env.js";
import { getJob } from "./job-store.js";
import { clipMessage, finishJob, MAX_JOB_ATTEMPTS, retryDelayMs } from "./job-transitions.js";
import { modelArnOf } from "./ids.js";
import { joinS3 } from "./s3-paths.js";

export async function runAsyncInvoke(env: JobEnv, id: string, owner: string, signal: AbortSignal): Promise<void> {
  const job = await getJob(env.db, "async", id);
  if (!job || job.status !== "InProgress") return releaseJob(env.db, id, owner);

  let result = job.result;
  let inputTokens = job.inputTokens ?? 0;
  let outputTokens = job.outputTokens ?? 0;
  if (result === null) {
    if (job.attempts > MAX_JOB_ATTEMPTS) {
      // Claimed again and again without ever finishing: its node died each time. Stop feeding it nodes.
      await finishJob(env.db, id, owner, ["InProgress"], "Failed", `The invocation was interrupted ${job.attempts - 1} times before it finished.`);
      return;
    }
    try {
      const call = env.invoke(job.modelId, job.request.modelInput, {
        frontDoor: "async", jobArn: job.arn, caller: job.caller, signal, invocationType: "InvokeModel",
      });
      const out = await abortable(call, signal);
      result = JSON.stringify(out.body);
      inputTokens = out.inputTokens ?? 0;
      outputTokens = out.outputTokens ?? 0;
    } catch (err) {
      if (signal.aborted) return releaseJob(env.db, id, owner);
      const e = toBedrockError(err);
      if (e !== err) log.error({ err, job: job.arn }, "async invocation failed unexpectedly");
      if (isTryLater(e) && job.retries < MAX_RETRIES) return retryJobLater(env.db, id, owner, env.retryDelayMs(job.retries));
      await finishJob(env.db, id, owner, ["InProgress"], "Failed", clipMessage(e.message));
      return;
    }
    // The answer is durable before any output is written: a retry of the writes never calls the model again.
    const kept = await env.db.execute(
      "UPDATE basalt_jobs SET result = $3, input_tokens = $4, output_tokens = $5, last_modified_time = $6 WHERE id = $1 AND lease_owner = $2",
      [id, owner, result, inputTokens, outputTokens, Date.now()],
    );
    if (kept !== 1) return;
  }

  const folder = joinS3(String((job.request.outputDataConfig as { s3OutputDataConfig: { s3Uri: string } }).s3OutputDataConfig.s3Uri), id);
  const outputUri = joinS3(folder, "output.json");
  try {
    await env.blobs.put(outputUri, result, "application/json");
    const manifest = {
      invocationArn: job.arn,
      modelArn: modelArnOf(job.modelId, env.scope),
      outputs: [outputUri],
      inputTokenCount: inputTokens,
      outputTokenCount: outputTokens,
    };
    await env.blobs.put(joinS3(folder, "manifest.json"), JSON.stringify(manifest), "application/json");
  } catch (err) {
    if (err instanceof InvalidBlobUriError || job.attempts >= MAX_JOB_ATTEMPTS) {
      await finishJob(env.db, id, owner, ["InProgress"], "Failed", clipMessage(`Basalt could not write the output to ${folder}: ${(err as Error).message}`));
    } else {
      log.warn({ err, job: job.arn }, "could not write async invocation output; will retry");
      await releaseJob(env.db, id, owner, retryDelayMs(job.attempts));
    }
    return;
  }
  await finishJob(env.db, id, owner, ["InProgress"], "Completed", null);
}
