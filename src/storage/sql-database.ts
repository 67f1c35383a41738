// Durable state (ledger, guardrails, jobs): SQLite in `server.dataDir` by default, Postgres when
// `storage.postgres` is set (several nodes, one database). Every implementation passes the test/storage/sql
// contract suite. SQL is written once in the portable subset; placeholders are `$1, $2, …` on both (the SQLite
// adapter rewrites them), booleans are integers, times are epoch-ms integers (BIGINT), JSON is TEXT.

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlRow = Record<string, unknown>;

export interface SqlDatabase {
  readonly dialect: "sqlite" | "postgres";
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Runs statements that change rows; returns how many rows changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** All of `fn` or nothing. On Postgres one connection holds the transaction (needed for FOR UPDATE SKIP LOCKED). */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  /** Applies each migration once, in order, recorded by name in a `basalt_migrations` table. */
  migrate(migrations: readonly { name: string; sql: string }[]): Promise<void>;
  close(): Promise<void>;
}
