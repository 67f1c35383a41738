// Row claims with leases: how nodes share the work without running anything twice at the same time.
//
// A claim is one UPDATE … RETURNING that takes rows which are free (never claimed, released, or whose lease
// has run out because their node died) and stamps them with this node's id and a lease deadline. On Postgres
// the candidate rows are chosen with FOR UPDATE SKIP LOCKED, so concurrent nodes each get different rows
// without waiting on each other; on SQLite the statement runs under SQLite's single writer lock, which is all
// a single node needs. Every later write of a claimed row is conditional on `lease_owner = <this node>`, so a
// node that stalled past its lease and lost the row to another node finds its write refused and drops it:
// each result is written exactly once.
import type { SqlDatabase, SqlRow } from "../storage/sql-database.js";

export type JobWork = "async" | "expand" | "finalize";

// Which jobs each kind of job-level work applies to. `$3` is now.
const JOB_WORK: Record<JobWork, string> = {
  async: "j.kind = 'async' AND j.status = 'InProgress'",
  expand: "j.kind = 'batch' AND j.status = 'Submitted'",
  // A batch is ready to finish when nothing can still change: no record is running under a live lease, and
  // either the job no longer takes new records (Stopping, timed out) or none is left to take.
  finalize: `j.kind = 'batch' AND j.status IN ('InProgress', 'Stopping') AND NOT EXISTS (
    SELECT 1 FROM basalt_job_records r WHERE r.job_id = j.id AND (
      (r.state = 'running' AND r.lease_until >= $3)
      OR (j.status = 'InProgress' AND (j.expires_at IS NULL OR j.expires_at > $3) AND r.state IN ('pending', 'running'))))`,
};

const skipLocked = (db: SqlDatabase) => (db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "");

/**
 * Whether any job could need work. A plain read, so an idle node polls without taking SQLite's write lock
 * (which every Basalt process on the file would otherwise contend for once per poll).
 */
export async function anyOpenJob(db: SqlDatabase): Promise<boolean> {
  const rows = await db.query("SELECT 1 AS open FROM basalt_jobs WHERE status IN ('Submitted', 'InProgress', 'Stopping') LIMIT 1");
  return rows.length > 0;
}

/** Claims up to `limit` jobs needing `work`; returns their ids. */
export async function claimJobs(db: SqlDatabase, work: JobWork, owner: string, leaseMs: number, limit: number): Promise<string[]> {
  const now = Date.now();
  const rows = await db.query(
    `UPDATE basalt_jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
     WHERE id IN (
       SELECT j.id FROM basalt_jobs j
       WHERE ${JOB_WORK[work]} AND (j.lease_owner IS NULL OR j.lease_until < $3) AND j.not_before <= $3
       ORDER BY j.submit_time LIMIT $4${skipLocked(db)})
     RETURNING id`,
    [owner, now + leaseMs, now, limit],
  );
  return rows.map((r) => String(r.id));
}

export interface ClaimedRecord {
  jobId: string;
  seq: number;
  recordId: string;
  modelInput: string;
  /** How many times the record was put back after a "try later" answer. */
  retries: number;
}

/** Claims up to `limit` records of running batch jobs, oldest job first, in input order. */
export async function claimRecords(db: SqlDatabase, owner: string, leaseMs: number, limit: number): Promise<ClaimedRecord[]> {
  const now = Date.now();
  const rows = await db.query(
    `UPDATE basalt_job_records SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1
     WHERE (job_id, seq) IN (
       SELECT r.job_id, r.seq FROM basalt_job_records r JOIN basalt_jobs j ON j.id = r.job_id
       WHERE j.status = 'InProgress' AND (j.expires_at IS NULL OR j.expires_at > $3)
         AND (r.state = 'pending' OR (r.state = 'running' AND r.lease_until < $3)) AND r.not_before <= $3
       ORDER BY j.submit_time, r.job_id, r.seq LIMIT $4${db.dialect === "postgres" ? " FOR UPDATE OF r SKIP LOCKED" : ""})
     RETURNING job_id, seq, record_id, model_input, retries`,
    [owner, now + leaseMs, now, limit],
  );
  return rows.map((r: SqlRow) => ({
    jobId: String(r.job_id), seq: Number(r.seq), recordId: String(r.record_id), modelInput: String(r.model_input), retries: Number(r.retries),
  }));
}

/** What a node holds: job ids and (job id, seq) record keys. */
export interface HeldClaims {
  jobs: readonly string[];
  records: readonly { jobId: string; seq: number }[];
}

/**
 * Extends the leases of the units this node is running (run well within the lease period). Only those: a
 * claim whose unit ended without releasing it (a database error at the wrong moment) must lapse, not be
 * kept alive forever.
 */
export async function renewLeases(db: SqlDatabase, owner: string, leaseMs: number, held: HeldClaims): Promise<void> {
  const until = Date.now() + leaseMs;
  if (held.jobs.length) {
    const ids = held.jobs.map((_, i) => `$${i + 3}`).join(", ");
    await db.execute(`UPDATE basalt_jobs SET lease_until = $2 WHERE lease_owner = $1 AND id IN (${ids})`, [owner, until, ...held.jobs]);
  }
  if (held.records.length) {
    // Typed: Postgres reads untyped VALUES parameters as text, which does not compare with an integer.
    const keys = held.records.map((_, i) => `($${2 * i + 3}, CAST($${2 * i + 4} AS INTEGER))`).join(", ");
    await db.execute(
      `UPDATE basalt_job_records SET lease_until = $2 WHERE lease_owner = $1 AND state = 'running' AND (job_id, seq) IN (VALUES ${keys})`,
      [owner, until, ...held.records.flatMap((r) => [r.jobId, r.seq])],
    );
  }
}

/**
 * Frees the claims of processes that no longer exist. Only for SQLite, at start-up: a SQLite file lives on
 * one host, so an owner (`<pid>-<uuid>`) whose pid is gone died holding them (kill -9) and they can be taken
 * back at once instead of after the lease. Claims of live processes sharing the file are left alone.
 */
export async function releaseDeadOwners(db: SqlDatabase, self: string): Promise<void> {
  const rows = await db.query(
    "SELECT DISTINCT lease_owner FROM basalt_jobs WHERE lease_owner IS NOT NULL UNION SELECT DISTINCT lease_owner FROM basalt_job_records WHERE lease_owner IS NOT NULL",
  );
  for (const owner of rows.map((r) => String(r.lease_owner))) {
    if (owner === self || processAlive(Number(owner.split("-")[0]))) continue;
    await db.execute("UPDATE basalt_jobs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1", [owner]);
    await db.execute("UPDATE basalt_job_records SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND state = 'running'", [owner]);
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Gives a job claim back (shutdown, or a retry later): `delayMs` keeps every node off it for that long. */
export async function releaseJob(db: SqlDatabase, id: string, owner: string, delayMs = 0): Promise<void> {
  await db.execute("UPDATE basalt_jobs SET lease_owner = NULL, lease_until = NULL, not_before = $3 WHERE id = $1 AND lease_owner = $2", [
    id, owner, Date.now() + delayMs,
  ]);
}

/** Puts a record back after a "try later" answer: no node takes it before `delayMs` has passed. */
export async function retryRecordLater(db: SqlDatabase, jobId: string, seq: number, owner: string, delayMs: number): Promise<boolean> {
  const changed = await db.execute(
    `UPDATE basalt_job_records SET state = 'pending', lease_owner = NULL, lease_until = NULL, retries = retries + 1, not_before = $4
     WHERE job_id = $1 AND seq = $2 AND lease_owner = $3 AND state = 'running'`,
    [jobId, seq, owner, Date.now() + delayMs],
  );
  return changed === 1;
}

/**
 * Puts an async invocation back after a "try later" answer. The claim it used is not counted as an
 * attempt (attempts count interrupted runs), the retry is.
 */
export async function retryJobLater(db: SqlDatabase, id: string, owner: string, delayMs: number): Promise<void> {
  await db.execute(
    `UPDATE basalt_jobs SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1, retries = retries + 1, not_before = $3
     WHERE id = $1 AND lease_owner = $2`,
    [id, owner, Date.now() + delayMs],
  );
}

/** Gives a record claim back unfinished (shutdown): it will run again, here or elsewhere. */
export async function releaseRecord(db: SqlDatabase, jobId: string, seq: number, owner: string): Promise<void> {
  await db.execute(
    "UPDATE basalt_job_records SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE job_id = $1 AND seq = $2 AND lease_owner = $3 AND state = 'running'",
    [jobId, seq, owner],
  );
}
