// The shared SQL database: Postgres through a `pg` Pool. A transaction holds one pooled client from BEGIN
// to COMMIT (row locks such as FOR UPDATE SKIP LOCKED belong to that connection). migrate() takes a
// transaction-scoped advisory lock first, so nodes starting together apply each migration exactly once —
// even CREATE TABLE IF NOT EXISTS races without it.

import pg from "pg";
import {
  checkMigrationNames,
  type Migration,
  MIGRATIONS_TABLE,
  migrationSql,
  type SqlDatabase,
  type SqlRow,
  type SqlValue,
} from "./sql-database.js";
import { refuseInsideTransaction, runTransaction, type SqlConnection } from "./sql-transaction.js";

export interface PostgresDatabaseOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Pool size per node. */
  maxConnections?: number;
  /** A connection not obtained within this long fails the call instead of queueing forever. */
  connectionTimeoutMs?: number;
  /** A query not answered within this long fails (a server that hangs rather than refuses). */
  queryTimeoutMs?: number;
}

const INT8 = 20;
const NUMERIC = 1700;
/** int8 and numeric (COUNT, SUM) as JS numbers, as SQLite returns them; pg's default is strings. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

const QUERY_TIMEOUT_MS = 15_000;

export class PostgresDatabase implements SqlDatabase {
  readonly dialect = "postgres";
  readonly #pool: pg.Pool;
  #lastError: Error | undefined;

  constructor(options: PostgresDatabaseOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      // A server that stops answering (not one that refuses: that fails at once) must not hold a request, or
      // the ledger's writer, forever: a query gives up after this long and its caller gets the error.
      query_timeout: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
      types,
    });
    // An idle client losing its connection emits 'error' on the pool; unheard, it would crash the process.
    this.#pool.on("error", (err) => (this.#lastError = err));
  }

  /** The last error an idle connection reported (the next query reconnects). */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    refuseInsideTransaction(this);
    return (await this.#pool.query(sql, values(params))).rows as R[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    refuseInsideTransaction(this);
    return (await this.#pool.query(sql, values(params))).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    refuseInsideTransaction(this);
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    client.on("error", onError);
    const connection: SqlConnection = {
      query: async (sql, params) => (await client.query(sql, values(params))).rows as SqlRow[],
      execute: async (sql, params) => (await client.query(sql, values(params))).rowCount ?? 0,
    };
    try {
      return await runTransaction(this, "postgres", connection, { begin: "BEGIN", commit: "COMMIT", rollback: "ROLLBACK" }, fn);
    } finally {
      client.off("error", onError);
      // A connection that failed mid-transaction is discarded rather than handed to the next caller.
      client.release(broken);
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    checkMigrationNames(migrations);
    await this.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('basalt_migrations'))");
      await tx.execute(MIGRATIONS_TABLE);
      const applied = new Set((await tx.query<{ name: string }>("SELECT name FROM basalt_migrations")).map((row) => row.name));
      for (const migration of migrations) {
        if (applied.has(migration.name)) continue;
        await tx.execute(migrationSql(migration, "postgres"));
        await tx.execute("INSERT INTO basalt_migrations (name, applied_at) VALUES ($1, $2)", [migration.name, Date.now()]);
      }
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** No values → pg's simple protocol, which also runs several statements in one text (migrations). */
function values(params: readonly SqlValue[]): SqlValue[] | undefined {
  return params.length === 0 ? undefined : [...params];
}
