// The `tx` handed to a transaction's function, the same on both dialects: statements go to the one
// connection that holds the transaction, nesting is a savepoint, and the handle refuses work once its
// transaction is over (a stray `await` after commit must not run outside it unnoticed).

import { AsyncLocalStorage } from "node:async_hooks";
import type { Migration, SqlDatabase, SqlRow, SqlValue } from "./sql-database.js";

export interface SqlConnection {
  query(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]>;
  execute(sql: string, params: readonly SqlValue[]): Promise<number>;
}

/** The transaction the current async call chain runs inside, to refuse the outer database there. */
const currentTransaction = new AsyncLocalStorage<{ owner: object; tx: TransactionHandle }>();

/** Throws when called from inside an open transaction of `owner` (the caller should use `tx`). */
export function refuseInsideTransaction(owner: object): void {
  const current = currentTransaction.getStore();
  if (current?.owner === owner && current.tx.open) {
    throw new Error("inside a transaction, use its `tx` handle: the outer database is not part of the transaction");
  }
}

/** Runs `fn` with a handle on `connection`, between `begin` and `commit` (or `rollback` when it throws). */
export async function runTransaction<T>(
  owner: object,
  dialect: SqlDatabase["dialect"],
  connection: SqlConnection,
  steps: { begin: string; commit: string; rollback: string },
  fn: (tx: SqlDatabase) => Promise<T>,
): Promise<T> {
  await connection.execute(steps.begin, []);
  const tx = new TransactionHandle(dialect, connection, 0);
  try {
    const result = await currentTransaction.run({ owner, tx }, () => fn(tx));
    tx.end();
    await connection.execute(steps.commit, []);
    return result;
  } catch (err) {
    tx.end();
    await connection.execute(steps.rollback, []).catch(() => undefined);
    throw err;
  }
}

export class TransactionHandle implements SqlDatabase {
  #open = true;

  constructor(
    readonly dialect: SqlDatabase["dialect"],
    private readonly connection: SqlConnection,
    private readonly depth: number,
  ) {}

  get open(): boolean {
    return this.#open;
  }

  end(): void {
    this.#open = false;
  }

  async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    this.#checkOpen();
    return (await this.connection.query(sql, params)) as R[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    this.#checkOpen();
    return this.connection.execute(sql, params);
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.#checkOpen();
    const savepoint = `basalt_savepoint_${this.depth + 1}`;
    await this.connection.execute(`SAVEPOINT ${savepoint}`, []);
    const inner = new TransactionHandle(this.dialect, this.connection, this.depth + 1);
    try {
      const result = await fn(inner);
      inner.end();
      await this.connection.execute(`RELEASE SAVEPOINT ${savepoint}`, []);
      return result;
    } catch (err) {
      inner.end();
      await this.connection.execute(`ROLLBACK TO SAVEPOINT ${savepoint}`, []);
      await this.connection.execute(`RELEASE SAVEPOINT ${savepoint}`, []);
      throw err;
    }
  }

  async migrate(_migrations: readonly Migration[]): Promise<void> {
    throw new Error("migrate runs on the database, not inside a transaction");
  }

  async close(): Promise<void> {
    throw new Error("a transaction handle is closed by its transaction ending");
  }

  #checkOpen(): void {
    if (!this.#open) throw new Error("this transaction is over; its handle can no longer be used");
  }
}
