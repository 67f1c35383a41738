// Durable state (ledger, guardrails, jobs): SQLite in `server.dataDir` by default, Postgres when
// `storage.postgres` is set (several nodes, one database). Every implementation passes the
// test/storage/sql.contract.ts suite. SQL is written once in the portable subset:
// - placeholders are `$1, $2, …` on both (the SQLite adapter rewrites them); a placeholder used twice must
//   stand for one type (Postgres infers one type per placeholder: not an INTEGER and a BIGINT column);
// - booleans are integers, times are epoch-ms integers (BIGINT), JSON is TEXT, bytes come back as Buffer;
// - integer and aggregate columns (COUNT, SUM) come back as JS numbers on both (Postgres's int8/numeric too);
// - unquoted snake_case names (Postgres folds unquoted names to lower case, SQLite keeps them as written);
// - one statement per query/execute; a migration may hold several, and may differ per dialect.
// Job claims: `SELECT … ${forUpdateSkipLocked(db.dialect)}` inside a transaction. On Postgres two nodes skip
// each other's locked rows; on SQLite a transaction is BEGIN IMMEDIATE (it takes the one write lock when it
// starts, and the adapter runs one transaction at a time), so a claim is simply serialised.

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlRow = Record<string, unknown>;

export interface Migration {
  /** Recorded in basalt_migrations; applied once, in list order. Never rename one that has shipped. */
  name: string;
  /** One SQL text for both, or one per dialect (e.g. BYTEA vs BLOB). May hold several statements. */
  sql: string | { sqlite: string; postgres: string };
}

export interface SqlDatabase {
  readonly dialect: "sqlite" | "postgres";
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Runs a statement that changes rows; returns how many rows changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * All of `fn` or nothing. Inside `fn` use only `tx` (calling the outer database there throws: on SQLite it
   * would wait for the transaction itself). On Postgres one connection holds the transaction (needed for
   * FOR UPDATE SKIP LOCKED). `tx.transaction` nests as a savepoint.
   */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  /** Applies each migration not yet recorded in `basalt_migrations`, in order, all in one transaction. Safe
   * when several nodes start at once. */
  migrate(migrations: readonly Migration[]): Promise<void>;
  close(): Promise<void>;
}

/** The row-lock clause of a job claim: skip rows another node holds (Postgres); nothing on SQLite, whose
 * transactions are serialised anyway. */
export function forUpdateSkipLocked(dialect: SqlDatabase["dialect"]): string {
  return dialect === "postgres" ? "FOR UPDATE SKIP LOCKED" : "";
}

/** The SQL of a migration for one dialect. */
export function migrationSql(migration: Migration, dialect: SqlDatabase["dialect"]): string {
  return typeof migration.sql === "string" ? migration.sql : migration.sql[dialect];
}

/** Refuses a list where one name appears twice (the second would silently never run). */
export function checkMigrationNames(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const { name } of migrations) {
    if (name.length === 0 || seen.has(name)) throw new RangeError(`migration names must be unique and non-empty: "${name}"`);
    seen.add(name);
  }
}

export const MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS basalt_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)";
