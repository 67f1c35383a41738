// Reading and creating job rows: the idempotent insert behind StartAsyncInvoke / CreateModelInvocationJob,
// lookups, and the filtered, keyset-paginated listing behind ListAsyncInvokes / ListModelInvocationJobs.
import type { Caller } from "../core/caller.js";
import { BedrockError } from "../core/errors.js";
import type { SqlDatabase, SqlValue } from "../storage/sql-database.js";
import type { JobKind } from "./ids.js";
import { JOB_COLUMNS, num, readJobRow, type JobRow, type JobStatus } from "./job-row.js";
import { decodePageToken, encodePageToken } from "./page-token.js";

export interface NewJob {
  id: string;
  kind: JobKind;
  arn: string;
  name?: string;
  modelId: string;
  caller: Caller;
  clientToken?: string;
  requestHash: string;
  request: Record<string, unknown>;
  status: JobStatus;
  submitTime: number;
  expiresAt?: number;
}

// Submission times are strictly increasing within a node, so a list sorted by submission time keeps the
// order the jobs were submitted in even when two arrive in the same millisecond.
let lastSubmitTime = 0;
export function nextSubmitTime(): number {
  lastSubmitTime = Math.max(Date.now(), lastSubmitTime + 1);
  return lastSubmitTime;
}

/**
 * Inserts the job unless its clientRequestToken was seen before. Returns the job that holds the token: the
 * new one, or the earlier one when the request is the same. A different request under a used token is a
 * ConflictException. The unique index decides races between nodes, not a read before the write.
 */
export async function insertJob(db: SqlDatabase, job: NewJob): Promise<JobRow> {
  const inserted = await db.execute(
    `INSERT INTO basalt_jobs (id, kind, arn, name, model_id, caller, client_token, request_hash, request, status,
       submit_time, last_modified_time, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)
     ON CONFLICT (kind, client_token) DO NOTHING`,
    [job.id, job.kind, job.arn, job.name ?? null, job.modelId, JSON.stringify(job.caller), job.clientToken ?? null, job.requestHash,
      JSON.stringify(job.request), job.status, job.submitTime, job.expiresAt ?? null],
  );
  if (inserted === 1) return (await getJob(db, job.kind, job.id))!;
  const [row] = await db.query(`SELECT ${JOB_COLUMNS} FROM basalt_jobs WHERE kind = $1 AND client_token = $2`, [job.kind, job.clientToken ?? null]);
  if (!row) throw new BedrockError("InternalServerException", "The job could not be recorded. Try again.");
  const existing = readJobRow(row);
  if (existing.requestHash !== job.requestHash) {
    throw new BedrockError(
      "ConflictException",
      "The clientRequestToken was already used for a different request. Use a new token, or repeat the original request, and try again.",
    );
  }
  return existing;
}

export async function getJob(db: SqlDatabase, kind: JobKind, id: string): Promise<JobRow | undefined> {
  const [row] = await db.query(`SELECT ${JOB_COLUMNS} FROM basalt_jobs WHERE kind = $1 AND id = $2`, [kind, id]);
  return row ? readJobRow(row) : undefined;
}

export interface ListFilter {
  statusEquals?: string;
  /** Epoch ms, exclusive. */
  submitTimeAfter?: number;
  submitTimeBefore?: number;
  nameContains?: string;
  sortOrder?: "Ascending" | "Descending";
  maxResults?: number;
  nextToken?: string;
}

export interface JobPage {
  jobs: JobRow[];
  nextToken?: string;
}

const DEFAULT_PAGE = 1000;

export async function listJobs(db: SqlDatabase, kind: JobKind, filter: ListFilter): Promise<JobPage> {
  const ascending = filter.sortOrder === "Ascending";
  const limit = filter.maxResults ?? DEFAULT_PAGE;
  const where: string[] = ["kind = $1"];
  const params: SqlValue[] = [kind];
  const add = (clause: (p: string) => string, value: SqlValue) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.statusEquals) add((p) => `status = ${p}`, filter.statusEquals);
  if (filter.submitTimeAfter !== undefined) add((p) => `submit_time > ${p}`, filter.submitTimeAfter);
  if (filter.submitTimeBefore !== undefined) add((p) => `submit_time < ${p}`, filter.submitTimeBefore);
  if (filter.nameContains) {
    // Substring match, case-sensitive on both dialects (LIKE is case-insensitive on SQLite).
    add((p) => (db.dialect === "postgres" ? `strpos(name, ${p}) > 0` : `instr(name, ${p}) > 0`), filter.nameContains);
  }
  if (filter.nextToken !== undefined) {
    const after = decodePageToken(filter.nextToken, ascending);
    params.push(after.submitTime, after.id);
    const t = `$${params.length - 1}`;
    const i = `$${params.length}`;
    where.push(ascending ? `(submit_time > ${t} OR (submit_time = ${t} AND id > ${i}))` : `(submit_time < ${t} OR (submit_time = ${t} AND id < ${i}))`);
  }
  const dir = ascending ? "ASC" : "DESC";
  params.push(limit + 1);
  const rows = await db.query(
    `SELECT ${JOB_COLUMNS} FROM basalt_jobs WHERE ${where.join(" AND ")} ORDER BY submit_time ${dir}, id ${dir} LIMIT $${params.length}`,
    params,
  );
  const jobs = rows.slice(0, limit).map(readJobRow);
  const more = rows.length > limit;
  const last = jobs[jobs.length - 1];
  return { jobs, nextToken: more && last ? encodePageToken({ submitTime: last.submitTime, id: last.id }, ascending) : undefined };
}

export interface RecordCounts {
  total: number;
  processed: number;
  success: number;
  error: number;
  inputTokens: number;
  outputTokens: number;
}

/** Record counts of batch jobs, by job id (jobs without records are absent). */
export async function recordCounts(db: SqlDatabase, jobIds: readonly string[]): Promise<Map<string, RecordCounts>> {
  const out = new Map<string, RecordCounts>();
  if (jobIds.length === 0) return out;
  const placeholders = jobIds.map((_, i) => `$${i + 1}`).join(", ");
  const rows = await db.query(
    `SELECT job_id, COUNT(*) AS total,
       SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS success,
       SUM(CASE WHEN state = 'error' THEN 1 ELSE 0 END) AS error,
       SUM(COALESCE(input_tokens, 0)) AS input_tokens, SUM(COALESCE(output_tokens, 0)) AS output_tokens
     FROM basalt_job_records WHERE job_id IN (${placeholders}) GROUP BY job_id`,
    jobIds,
  );
  for (const r of rows) {
    const success = num(r.success ?? 0);
    const error = num(r.error ?? 0);
    out.set(String(r.job_id), {
      total: num(r.total),
      processed: success + error,
      success,
      error,
      inputTokens: num(r.input_tokens ?? 0),
      outputTokens: num(r.output_tokens ?? 0),
    });
  }
  return out;
}
