// The `jobs:` section of basalt.yaml: how a node runs async-invoke and batch work. The config schema owner
// mounts `jobsConfigSchema` under `jobs`; an absent section means these defaults.
import { z } from "zod";

export const jobsConfigSchema = z
  .object({
    /** Units of work (batch records, async invocations) one node runs at once. */
    concurrency: z.number().int().min(1).max(1024).default(8),
    /**
     * How long a claim on a job or record holds without a heartbeat. A node that dies (kill -9, lost host)
     * has its work taken over by another node this long after its last heartbeat (Postgres); a restarted
     * SQLite node takes its own unfinished work back at once.
     */
    leaseMs: z.number().int().min(1000).max(3_600_000).default(30_000),
    /** How often an idle node looks for work submitted to other nodes. Work submitted here starts at once. */
    pollMs: z.number().int().min(10).max(60_000).default(1000),
  })
  .strict();

export type JobsConfig = z.infer<typeof jobsConfigSchema>;

export const DEFAULT_JOBS_CONFIG: JobsConfig = jobsConfigSchema.parse({});
