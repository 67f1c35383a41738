// Turns a claimed Submitted batch job into record rows and marks it InProgress. The rows are keyed by input
// position and inserted with ON CONFLICT DO NOTHING, so a node that dies half-way leaves nothing another
// node cannot simply redo.
import { log } from "../log.js";
import type { SqlDatabase, SqlValue } from "../storage/sql-database.js";
import { BlobNotFoundError, InvalidBlobUriError } from "../storage/blob-store.js";
import { releaseJob } from "./claims.js";
import { defaultRecordId } from "./ids.js";
import type { JobEnv } from "./job-env.js";
import { getJob } from "./job-store.js";
import { clipMessage, finishJob, MAX_JOB_ATTEMPTS, retryDelayMs } from "./job-transitions.js";
import { BatchInputError, listInputFiles, parseRecords, type InputRecord } from "./read-batch-input.js";

const ROWS_PER_INSERT = 200;

export async function expandBatch(env: JobEnv, id: string, owner: string): Promise<void> {
  const job = await getJob(env.db, "batch", id);
  if (!job || job.status !== "Submitted") return releaseJob(env.db, id, owner);
  const inputUri = (job.request.inputDataConfig as { s3InputDataConfig: { s3Uri: string } }).s3InputDataConfig.s3Uri;

  let files: string[];
  const records: InputRecord[] = [];
  try {
    files = await listInputFiles(env.blobs, inputUri);
    for (let f = 0; f < files.length; f++) {
      for (const r of parseRecords((await env.blobs.get(files[f])).toString("utf8"), f, files[f])) records.push(r);
    }
    if (records.length === 0) throw new BatchInputError(`The input at ${inputUri} holds no records.`);
  } catch (err) {
    const permanent = err instanceof BatchInputError || err instanceof InvalidBlobUriError || err instanceof BlobNotFoundError;
    if (permanent || job.attempts >= MAX_JOB_ATTEMPTS) {
      const message = err instanceof BatchInputError ? err.message : `Basalt could not read the input at ${inputUri}: ${(err as Error).message}`;
      await finishJob(env.db, id, owner, ["Submitted"], "Failed", clipMessage(message));
    } else {
      log.warn({ err, job: job.arn }, "could not read batch input; will retry");
      await releaseJob(env.db, id, owner, retryDelayMs(job.attempts));
    }
    return;
  }

  await env.db.transaction((tx) => insertRecords(tx, id, records));
  const now = Date.now();
  const started = await env.db.execute(
    `UPDATE basalt_jobs SET status = 'InProgress', input_files = $3, last_modified_time = $4, lease_owner = NULL, lease_until = NULL
     WHERE id = $1 AND lease_owner = $2 AND status = 'Submitted'`,
    [id, owner, JSON.stringify(files), now],
  );
  if (started === 0) {
    // Stopped while the input was being read: the rows are of no use.
    const current = await getJob(env.db, "batch", id);
    if (current?.status === "Stopped") await env.db.execute("DELETE FROM basalt_job_records WHERE job_id = $1", [id]);
  }
}

async function insertRecords(db: SqlDatabase, jobId: string, records: readonly InputRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
    const chunk = records.slice(start, start + ROWS_PER_INSERT);
    const params: SqlValue[] = [];
    const rows = chunk.map((r, i) => {
      const seq = start + i;
      params.push(jobId, seq, r.fileIndex, r.recordId ?? defaultRecordId(jobId, seq), r.modelInput);
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, 'pending')`;
    });
    await db.execute(
      `INSERT INTO basalt_job_records (job_id, seq, file_index, record_id, model_input, state) VALUES ${rows.join(", ")}
       ON CONFLICT (job_id, seq) DO NOTHING`,
      params,
    );
  }
}
