// What both SQLite connections share (SqliteDatabase on the serving thread, ThreadedSqliteDatabase on a
// worker): a connection is the whole database, so a transaction holds it from BEGIN IMMEDIATE to COMMIT and
// every other statement waits until it is over. A subclass gives the connection and how to migrate and close.
import { checkMigrationNames, type Migration, type SqlDatabase, type SqlRow, type SqlValue } from "./sql-database.js";
import { refuseInsideTransaction, runTransaction, type SqlConnection } from "./sql-transaction.js";

/**
 * One transaction at a time on one connection (SQLite, where a connection is the whole database): a
 * transaction holds the connection from its BEGIN to its COMMIT, and other work waits until it is over.
 */
export class OneTransactionAtATime {
  /** Settles when the running transaction ends. */
  #busy: Promise<void> | undefined;

  /**
   * Runs `work` once no transaction runs. The check and the call are one synchronous step: after an await,
   * another transaction may have begun, so the condition is read again right before `work` starts.
   */
  async whenIdle<T>(work: () => T | Promise<T>): Promise<T> {
    while (this.#busy !== undefined) await this.#busy;
    return work();
  }

  /** Runs `transaction` with the connection to itself: nothing else starts until it settles. */
  async exclusive<T>(transaction: () => Promise<T>): Promise<T> {
    while (this.#busy !== undefined) await this.#busy;
    let done!: () => void;
    this.#busy = new Promise((resolve) => (done = resolve));
    try {
      return await transaction();
    } finally {
      this.#busy = undefined;
      done();
    }
  }
}

export abstract class SingleConnectionDatabase implements SqlDatabase {
  readonly dialect = "sqlite";
  readonly #serial = new OneTransactionAtATime();

  /** Runs one statement on the connection (inside or outside a transaction). */
  protected abstract readonly connection: SqlConnection;
  /** Applies the migrations not yet recorded, in one transaction; nothing else runs meanwhile. */
  protected abstract migrateNow(migrations: readonly Migration[]): void | Promise<void>;
  protected abstract closeNow(): void | Promise<void>;

  async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    refuseInsideTransaction(this);
    return (await this.#serial.whenIdle(() => this.connection.query(sql, params))) as R[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    refuseInsideTransaction(this);
    return this.#serial.whenIdle(() => this.connection.execute(sql, params));
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    refuseInsideTransaction(this);
    return this.#serial.exclusive(() =>
      runTransaction(this, "sqlite", this.connection, { begin: "BEGIN IMMEDIATE", commit: "COMMIT", rollback: "ROLLBACK" }, fn),
    );
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    checkMigrationNames(migrations);
    refuseInsideTransaction(this);
    await this.#serial.whenIdle(() => this.migrateNow(migrations));
  }

  async close(): Promise<void> {
    refuseInsideTransaction(this);
    await this.#serial.whenIdle(() => this.closeNow());
  }

  /** Runs `work` once no transaction holds the connection (in the same step as the check). */
  protected whenIdle<T>(work: () => T | Promise<T>): Promise<T> {
    return this.#serial.whenIdle(work);
  }
}
