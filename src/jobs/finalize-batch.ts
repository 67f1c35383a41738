// Ends a claimed batch job whose records can no longer change: writes `<output uri>/<job id>/<input file
// name>.out` (one line per processed record, in input order) and `manifest.json.out`, then sets the final
// status. The status changes only after the objects are written, so a job never reads Completed with output
// missing; if the writes fail the claim is released and another attempt rewrites them whole.
import { log } from "../log.js";
import type { SqlDatabase } from "../storage/sql-database.js";
import { InvalidBlobUriError } from "../storage/blob-store.js";
import { releaseJob } from "./claims.js";
import type { JobEnv } from "./job-env.js";
import { num, type BatchStatus, type JobRow } from "./job-row.js";
import { getJob } from "./job-store.js";
import { clipMessage, finishJob, MAX_JOB_ATTEMPTS, retryDelayMs } from "./job-transitions.js";
import { fileNameOf, joinS3 } from "./s3-paths.js";

const PAGE = 1000;

interface Totals {
  total: number;
  success: number;
  error: number;
  inputTokens: number;
  outputTokens: number;
}

export async function finalizeBatch(env: JobEnv, id: string, owner: string): Promise<void> {
  const job = await getJob(env.db, "batch", id);
  if (!job || (job.status !== "InProgress" && job.status !== "Stopping")) return releaseJob(env.db, id, owner);
  const now = Date.now();
  // Records that will never run (stopped or timed-out job) leave the queue, and so does a record whose node
  // died while it ran: a late write from that node now finds no running row and is dropped.
  await env.db.execute(
    "UPDATE basalt_job_records SET state = 'skipped', lease_owner = NULL, lease_until = NULL WHERE job_id = $1 AND (state = 'pending' OR (state = 'running' AND lease_until < $2))",
    [id, now],
  );

  const files = job.inputFiles ?? [];
  const outFolder = joinS3((job.request.outputDataConfig as { s3OutputDataConfig: { s3Uri: string } }).s3OutputDataConfig.s3Uri, id);
  let totals: Totals;
  try {
    totals = await writeOutputs(env, job, files, outFolder);
  } catch (err) {
    if (err instanceof InvalidBlobUriError || job.attempts >= MAX_JOB_ATTEMPTS) {
      await finishJob(env.db, id, owner, [job.status], "Failed", clipMessage(`Basalt could not write the output to ${outFolder}: ${(err as Error).message}`));
    } else {
      log.warn({ err, job: job.arn }, "could not write batch output; will retry");
      await releaseJob(env.db, id, owner, retryDelayMs(job.attempts));
    }
    return;
  }
  const [status, message] = finalStatus(job, totals, now);
  if (!(await finishJob(env.db, id, owner, [job.status], status, message))) {
    // The status moved under us (a Stop arrived): let the next claim finish the job with what it then says.
    await releaseJob(env.db, id, owner);
  }
}

function finalStatus(job: JobRow, t: Totals, now: number): [BatchStatus, string | null] {
  const processed = t.success + t.error;
  if (job.status === "Stopping") return ["Stopped", null];
  if (processed < t.total && job.expiresAt !== null && job.expiresAt <= now) {
    return ["PartiallyCompleted", `The job reached its timeout before every record was processed (${processed} of ${t.total}).`];
  }
  if (t.error === 0) return ["Completed", null];
  if (t.success === 0) return ["Failed", `All ${t.total} records failed. The error of each is in the output.`];
  return ["PartiallyCompleted", `${t.error} of ${t.total} records failed. The error of each is in the output.`];
}

async function writeOutputs(env: JobEnv, job: JobRow, files: readonly string[], outFolder: string): Promise<Totals> {
  const lines: string[][] = files.map(() => []);
  const totals: Totals = { total: await countRecords(env.db, job.id), success: 0, error: 0, inputTokens: 0, outputTokens: 0 };
  for (let after = -1; ; ) {
    const rows = await env.db.query(
      `SELECT seq, file_index, record_id, model_input, state, output, input_tokens, output_tokens FROM basalt_job_records
       WHERE job_id = $1 AND seq > $2 AND state IN ('done', 'error') ORDER BY seq LIMIT ${PAGE}`,
      [job.id, after],
    );
    for (const r of rows) {
      const done = r.state === "done";
      if (done) totals.success++;
      else totals.error++;
      totals.inputTokens += r.input_tokens === null ? 0 : num(r.input_tokens);
      totals.outputTokens += r.output_tokens === null ? 0 : num(r.output_tokens);
      // Stored JSON is spliced in as is: the output line carries the exact modelInput of the input line.
      lines[num(r.file_index)].push(`{"recordId":${JSON.stringify(String(r.record_id))},"modelInput":${String(r.model_input)},"${done ? "modelOutput" : "error"}":${String(r.output)}}`);
    }
    if (rows.length < PAGE) break;
    after = num(rows[rows.length - 1].seq);
  }
  for (let f = 0; f < files.length; f++) {
    const body = lines[f].length ? `${lines[f].join("\n")}\n` : "";
    await env.blobs.put(joinS3(outFolder, `${fileNameOf(files[f])}.out`), body, "application/jsonl");
  }
  const manifest = {
    totalRecordCount: totals.total,
    processedRecordCount: totals.success + totals.error,
    successRecordCount: totals.success,
    errorRecordCount: totals.error,
    inputTokenCount: totals.inputTokens,
    outputTokenCount: totals.outputTokens,
  };
  await env.blobs.put(joinS3(outFolder, "manifest.json.out"), JSON.stringify(manifest), "application/json");
  return totals;
}

async function countRecords(db: SqlDatabase, jobId: string): Promise<number> {
  const [row] = await db.query("SELECT COUNT(*) AS n FROM basalt_job_records WHERE job_id = $1", [jobId]);
  return num(row?.n ?? 0);
}
