// The job tables, in the portable SQL subset both SqlDatabase dialects run (times are epoch-ms BIGINT,
// JSON is TEXT). One row per job (async invocation or batch job) and one per batch record: a record's result
// is committed on its own row the moment it is known, so a restart never repeats a finished record.

export const JOB_MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: "jobs-001-tables",
    sql: `
CREATE TABLE basalt_jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  arn TEXT NOT NULL,
  name TEXT,
  model_id TEXT NOT NULL,
  caller TEXT NOT NULL, -- JSON: the Caller as authenticated at submission
  client_token TEXT,
  request_hash TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT,
  input_files TEXT,
  result TEXT,
  input_tokens BIGINT,
  output_tokens BIGINT,
  submit_time BIGINT NOT NULL,
  last_modified_time BIGINT NOT NULL,
  end_time BIGINT,
  expires_at BIGINT,
  lease_owner TEXT,
  lease_until BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX basalt_jobs_token ON basalt_jobs (kind, client_token);
CREATE INDEX basalt_jobs_list ON basalt_jobs (kind, submit_time, id);
CREATE INDEX basalt_jobs_work ON basalt_jobs (status, kind);
CREATE TABLE basalt_job_records (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  file_index INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  model_input TEXT NOT NULL,
  state TEXT NOT NULL,
  output TEXT,
  input_tokens BIGINT,
  output_tokens BIGINT,
  lease_owner TEXT,
  lease_until BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (job_id, seq)
);
CREATE INDEX basalt_job_records_state ON basalt_job_records (state, job_id);
`,
  },
  {
    // "Try later" answers (throttling, a model not ready) put work back with a delay instead of failing it.
    name: "jobs-002-retries",
    sql: `
ALTER TABLE basalt_jobs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE basalt_job_records ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE basalt_job_records ADD COLUMN not_before BIGINT NOT NULL DEFAULT 0;
`,
  },
];
