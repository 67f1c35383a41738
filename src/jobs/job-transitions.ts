// Status changes made by the node holding a job's claim. Each is conditional on that claim (and on the
// status the node saw), so a node that lost its claim changes nothing.
import type { SqlDatabase } from "../storage/sql-database.js";
import type { JobStatus } from "./job-row.js";

/** Ends a job: final status, message, end time; frees the claim. False if this node no longer held it. */
export async function finishJob(
  db: SqlDatabase,
  id: string,
  owner: string,
  from: readonly JobStatus[],
  to: JobStatus,
  message: string | null,
): Promise<boolean> {
  const now = Date.now();
  const placeholders = from.map((_, i) => `$${i + 6}`).join(", ");
  const changed = await db.execute(
    `UPDATE basalt_jobs SET status = $3, message = $4, end_time = $5, last_modified_time = $5, lease_owner = NULL, lease_until = NULL
     WHERE id = $1 AND lease_owner = $2 AND status IN (${placeholders})`,
    [id, owner, to, message, now, ...from],
  );
  return changed === 1;
}

/** A failure message fits Bedrock's 2048-character limit. */
export const clipMessage = (m: string): string => (m.length > 2048 ? `${m.slice(0, 2045)}...` : m);

/** How many times a job's own steps (reading input, writing output) are tried before the job fails. */
export const MAX_JOB_ATTEMPTS = 5;

/** Backoff before the next try of a job step: 1 s, 2 s, 4 s … */
export const retryDelayMs = (attempts: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
