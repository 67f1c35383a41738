// The embedded SQL database: one SQLite file (better-sqlite3) in the data directory.
// - WAL: readers never block the writer, and a commit is one append to the log.
// - synchronous=NORMAL: in WAL mode a commit is in the OS once the statement returns, so kill -9 of Basalt
//   loses nothing and never corrupts the file (SQLite's own guarantee: the WAL is checksummed and replayed
//   on open). Only a power cut or kernel crash can drop the last commits before a checkpoint — and even
//   then the file stays consistent. FULL would fsync every commit: slower, and buying only power-loss
//   durability for a ledger that already accepts losing its last second.
// - Transactions start with BEGIN IMMEDIATE (the write lock is taken at once, so two writers never deadlock
//   upgrading a read lock) and run one at a time in this process; busy_timeout covers another process.
// One SqliteDatabase per file per process.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { LruMap } from "./lru-map.js";
import { orderParams, rewritePlaceholders } from "./rewrite-placeholders.js";
import { type Migration, MIGRATIONS_TABLE, migrationSql, type SqlRow, type SqlValue } from "./sql-database.js";
import { SingleConnectionDatabase } from "./single-connection-database.js";
import type { SqlConnection } from "./sql-transaction.js";

interface Prepared {
  statement: Database.Statement;
  order: number[];
  /** `$1 … $n` each once, in order (a multi-row INSERT): the params bind as given, without a reordered copy. */
  inOrder: boolean;
}

export class SqliteDatabase extends SingleConnectionDatabase {
  readonly #db: Database.Database;
  readonly #statements = new LruMap<string, Prepared>(500);
  protected readonly connection: SqlConnection;

  constructor(readonly path: string) {
    super();
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma("busy_timeout = 5000");
    this.#db.pragma("foreign_keys = ON");
    this.connection = {
      query: async (sql, params) => this.#query(sql, params),
      execute: async (sql, params) => this.#execute(sql, params),
    };
  }

  protected migrateNow(migrations: readonly Migration[]): void {
    // Synchronous from BEGIN to COMMIT: nothing else in this process can interleave.
    migrateNow(this.#db, migrations);
  }

  protected closeNow(): void {
    this.#db.close();
  }

  #query(sql: string, params: readonly SqlValue[]): SqlRow[] {
    const prepared = this.#prepare(sql);
    // An array binds as the anonymous parameters (no spread of up to 1,792 arguments).
    const values = bindable(prepared, params);
    if (prepared.statement.reader) return prepared.statement.all(values) as SqlRow[];
    prepared.statement.run(values);
    return [];
  }

  #execute(sql: string, params: readonly SqlValue[]): number {
    const prepared = this.#prepare(sql);
    const values = bindable(prepared, params);
    return prepared.statement.reader ? prepared.statement.all(values).length : prepared.statement.run(values).changes;
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      const rewritten = rewritePlaceholders(sql);
      const inOrder = rewritten.order.every((index, i) => index === i);
      prepared = { statement: this.#db.prepare(rewritten.sql), order: rewritten.order, inOrder };
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }
}

/** Applies the migrations not yet recorded, in one BEGIN IMMEDIATE transaction (safe when two processes start). */
function migrateNow(db: Database.Database, migrations: readonly Migration[]): void {
  db.transaction(() => {
    db.exec(MIGRATIONS_TABLE);
    const applied = new Set(db.prepare("SELECT name FROM basalt_migrations").pluck().all() as string[]);
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      db.exec(migrationSql(migration, "sqlite"));
      db.prepare("INSERT INTO basalt_migrations (name, applied_at) VALUES (?, ?)").run(migration.name, Date.now());
    }
  }).immediate();
}

/** The values to bind for a prepared statement, in its placeholders' order. */
function bindable({ order, inOrder }: Prepared, params: readonly SqlValue[]): SqlValue[] {
  if (inOrder && params.length === order.length) return params as SqlValue[];
  return orderParams(order, params);
}
