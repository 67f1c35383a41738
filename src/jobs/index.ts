// The job engine: async invocations (runtime API) and batch inference jobs (control-plane API), stored in
// the SQL database, their inputs and outputs in the blob store, run by one worker per node. app.ts creates
// it once, hands `asyncInvokes` and `batchJobs` to the operation handlers, and starts/stops the worker.
import type { BlobStore } from "../storage/blob-store.js";
import type { SqlDatabase } from "../storage/sql-database.js";
import { AsyncInvokeService } from "./async-invoke-service.js";
import { BatchJobService } from "./batch-job-service.js";
import type { ArnScope } from "./ids.js";
import type { InvokeFn } from "./invoke-fn.js";
import { JobWorker } from "./job-worker.js";
import { DEFAULT_JOBS_CONFIG, type JobsConfig } from "./jobs-config.js";
import { JOB_MIGRATIONS } from "./migrations.js";
import { defaultRetryDelayMs } from "./retry-later.js";

export interface JobsOptions {
  db: SqlDatabase;
  blobs: BlobStore;
  invoke: InvokeFn;
  config?: JobsConfig;
  /** Region and account in the ARNs handed out (default us-east-1 / 000000000000). */
  scope?: Partial<ArnScope>;
  /** Whether a modelId is served (default: every id). */
  knowsModel?: (modelId: string) => boolean;
  checkModelInput?: (modelId: string, modelInput: unknown) => void;
  /** Backoff of "try later" answers (default: 1 s doubling to a minute, with jitter). */
  retryDelayMs?: (retries: number) => number;
}

export interface Jobs {
  readonly asyncInvokes: AsyncInvokeService;
  readonly batchJobs: BatchJobService;
  readonly worker: JobWorker;
  /** Starts this node's worker (tables must exist: createJobs migrates them). */
  start(): void;
  /** Stops the worker: running units get `graceMs` to finish, then are handed back unfinished. */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_ARN_SCOPE: ArnScope = { region: "us-east-1", accountId: "000000000000" };

export async function createJobs(opts: JobsOptions): Promise<Jobs> {
  await opts.db.migrate(JOB_MIGRATIONS);
  const scope: ArnScope = { ...DEFAULT_ARN_SCOPE, ...opts.scope };
  const base = {
    db: opts.db,
    blobs: opts.blobs,
    invoke: opts.invoke,
    scope,
    knowsModel: opts.knowsModel ?? (() => true),
    checkModelInput: opts.checkModelInput,
    retryDelayMs: opts.retryDelayMs ?? defaultRetryDelayMs,
  };
  const worker = new JobWorker(base, opts.config ?? DEFAULT_JOBS_CONFIG);
  const env = { ...base, nudge: () => worker.nudge() };
  return {
    asyncInvokes: new AsyncInvokeService(env),
    batchJobs: new BatchJobService(env),
    worker,
    start: () => worker.start(),
    stop: (graceMs) => worker.stop(graceMs),
  };
}

export { jobsConfigSchema, DEFAULT_JOBS_CONFIG, type JobsConfig } from "./jobs-config.js";
export type { InvokeFn, InvokeResult, JobInvokeContext } from "./invoke-fn.js";
