// The guardrail store's tables, in the portable SQL subset (storage/sql-database.ts): the DRAFT of each
// guardrail in `guardrails`, frozen numbered versions in `guardrail_versions`. Definitions are JSON text;
// times are epoch-ms integers. One statement per migration, so every adapter can apply them as they are.
export const GUARDRAIL_MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: "guardrails-001-guardrails",
    sql: `CREATE TABLE guardrails (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      tags TEXT,
      client_token TEXT,
      last_version INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
  },
  { name: "guardrails-002-name", sql: "CREATE UNIQUE INDEX guardrails_name ON guardrails (name)" },
  {
    name: "guardrails-003-versions",
    sql: `CREATE TABLE guardrail_versions (
      guardrail_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      description TEXT,
      definition TEXT NOT NULL,
      client_token TEXT,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (guardrail_id, version)
    )`,
  },
];
