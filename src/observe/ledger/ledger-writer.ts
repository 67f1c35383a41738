// Writes finished calls to the ledger in batches, off the response path: observe() only queues; a timer
// flushes at most FLUSH_MS later (or at once when BATCH_ROWS are waiting). With a journal (the default for
// the CLI), each queued row is also appended to a local file first, so a crash loses none of them: the next
// start writes what the journal holds (ledger-journal.ts). A failing database never fails a call: what was
// not written is kept (up to MAX_PENDING rows, the oldest dropped a batch at a time beyond that; the journal
// still has them) and retried on the next tick.
import type { CallRecord } from "../../core/call-record.js";
import type { SqlDatabase, SqlValue } from "../../storage/sql-database.js";
import type { CallObserver } from "../call-observer.js";
import { arrivalUs } from "../call-order.js";
import { LedgerJournal } from "./ledger-journal.js";
import { LEDGER_COLUMNS, LEDGER_MIGRATIONS, LEDGER_TABLE, pushRow } from "./ledger-schema.js";

// The queue is one flat array of row values (LEDGER_COLUMNS.length per call), made at once so it holds no
// record (nor its kept bodies) while it waits; a chunk of it is a multi-row INSERT's parameters as they are.
const WIDTH = LEDGER_COLUMNS.length;

export interface LedgerWriterOptions {
  db: SqlDatabase;
  /** Longest a finished call waits before it is written. */
  flushMs?: number;
  /** Rows that trigger a write at once. */
  batchRows?: number;
  /** Rows kept while the database is failing. */
  maxPending?: number;
  /** Told once per failure streak (the logger). */
  onError?: (err: unknown, pendingRows: number) => void;
  /** A directory for the journal that keeps queued rows through a crash; none: rows wait in memory only. */
  journalDir?: string;
  /** Told how many rows a crashed process left in the journal, once they are written. */
  onReplayed?: (rows: number) => void;
  now?: () => number;
}

export const FLUSH_MS = 500;
export const BATCH_ROWS = 1024;
const MAX_PENDING = 100_000;
// Rows per INSERT: 64 (28 × 64 = 1,792 parameters, far under SQLite's 32,766 and Postgres' 65,535), the rest
// in halving chunks (32, 16, … 1), so a handful of statement shapes cover every batch and stay prepared.
const ROWS_PER_STATEMENT = 64;

function chunkSizes(rows: number): number[] {
  const sizes: number[] = [];
  for (let left = rows, size = ROWS_PER_STATEMENT; left > 0; ) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    } else size >>= 1;
  }
  return sizes;
}

const insertSql = new Map<number, string>();
function insertStatement(rows: number): string {
  let sql = insertSql.get(rows);
  if (!sql) {
    const tuples: string[] = [];
    for (let i = 0; i < rows; i++) tuples.push(`(${LEDGER_COLUMNS.map((_, j) => `$${i * LEDGER_COLUMNS.length + j + 1}`).join(", ")})`);
    sql = `INSERT INTO ${LEDGER_TABLE} (${LEDGER_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`;
    insertSql.set(rows, sql);
  }
  return sql;
}

export class LedgerWriter implements CallObserver {
  readonly name = "ledger";
  private readonly db: SqlDatabase;
  private readonly flushMs: number;
  private readonly batchRows: number;
  private readonly maxPending: number;
  private readonly onError?: (err: unknown, pendingRows: number) => void;
  private readonly now: () => number;
  private pending: SqlValue[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private failing = false;
  private closed = false;
  private readonly journal: LedgerJournal | undefined;

  private constructor(opts: LedgerWriterOptions) {
    this.journal = opts.journalDir === undefined ? undefined : new LedgerJournal(opts.journalDir);
    this.db = opts.db;
    this.flushMs = opts.flushMs ?? FLUSH_MS;
    this.batchRows = opts.batchRows ?? BATCH_ROWS;
    this.maxPending = opts.maxPending ?? MAX_PENDING;
    this.onError = opts.onError;
    this.now = opts.now ?? Date.now;
  }

  /** Creates the table (once per database) and returns a writer. */
  static async open(opts: LedgerWriterOptions): Promise<LedgerWriter> {
    await opts.db.migrate(LEDGER_MIGRATIONS);
    if (opts.journalDir !== undefined) await replay(opts.db, opts.journalDir, opts.onReplayed);
    return new LedgerWriter(opts);
  }

  observe(record: Readonly<CallRecord>): void {
    if (this.closed) return;
    pushRow(this.pending, { record, seq: arrivalUs(record), endedAtMs: this.now() });
    this.journal?.append(this.pending, this.pending.length - WIDTH, WIDTH);
    // Trimmed a batch at a time (amortised): only a failing database lets the queue grow this far.
    if (this.pendingRows > this.maxPending + this.batchRows) this.pending.splice(0, (this.pendingRows - this.maxPending) * WIDTH);
    if (this.pendingRows >= this.batchRows && !this.writing) this.startWrite();
    else this.timer ??= setTimeout(() => this.onTimer(), this.flushMs).unref();
  }

  /** Writes everything queued so far; resolves when it is in the database (read-your-writes for the admin API). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pendingRows) {
      this.startWrite();
      await this.writing;
    }
    if (this.failing) throw new Error("the ledger database is failing; calls are queued in memory");
  }

  /** Deletes calls that arrived before `beforeMs`; returns how many. */
  deleteOlderThan(beforeMs: number): Promise<number> {
    return this.db.execute(`DELETE FROM ${LEDGER_TABLE} WHERE seq < $1`, [Math.ceil(beforeMs) * 1000]);
  }

  get pendingRows(): number {
    return this.pending.length / WIDTH;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const written = await this.flush().then(() => true, () => false);
    this.closed = true;
    // Everything is in the database: the journal has nothing left to keep. Otherwise its files stay for the
    // next start to write.
    if (written && this.pendingRows === 0) this.journal?.releaseAll();
    this.journal?.close();
  }

  private onTimer(): void {
    this.timer = undefined;
    if (!this.writing) this.startWrite();
  }

  private startWrite(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const mark = this.journal?.seal();
    this.writing = this.write(batch).then((ok) => {
      // The batch is in the database, and every row sealed before it too (a failed batch's rows went back
      // to the front of the queue, and were in this one): their segments can go.
      if (ok && mark !== undefined) this.journal?.release(mark);
    }).finally(() => {
      this.writing = undefined;
      if (this.pendingRows && !this.closed) {
        if (this.pendingRows >= this.batchRows && !this.failing) this.startWrite();
        else this.timer ??= setTimeout(() => this.onTimer(), this.flushMs).unref();
      }
    });
  }

  private async write(batch: SqlValue[]): Promise<boolean> {
    // One INSERT per chunk (at most ROWS_PER_STATEMENT rows): each statement is atomic on its own, so no
    // transaction is needed. Not using db.transaction() matters on the hot path: it runs the callback in an
    // AsyncLocalStorage, which in Node 20 turns on promise hooks for the whole process, for good — every
    // promise of every later call then pays for them (~2× per await; bench/: the ledger-on/off ratio).
    let at = 0;
    try {
      for (const size of chunkSizes(batch.length / WIDTH)) {
        await this.db.execute(insertStatement(size), batch.slice(at * WIDTH, (at + size) * WIDTH));
        at += size;
      }
      this.failing = false;
      return true;
    } catch (err) {
      // The chunks before the failing one are in; the rest is kept in front, to be written later.
      this.pending = batch.slice(at * WIDTH).concat(this.pending).slice(-this.maxPending * WIDTH);
      if (!this.failing) this.onError?.(err, this.pendingRows);
      this.failing = true;
      return false;
    }
  }
}

/**
 * Writes the rows a crashed process left in the journal, each unless the database already has it (its batch
 * may have been written just before the crash, with its segment not yet deleted), then deletes their files.
 */
async function replay(db: SqlDatabase, dir: string, onReplayed?: (rows: number) => void): Promise<void> {
  const { files, rows } = LedgerJournal.leftovers(dir);
  if (files.length === 0) return;
  let written = 0;
  for (const row of rows) {
    if (row.length !== WIDTH) continue;
    // request_id is column 0 and seq column 1 (LEDGER_COLUMNS); seq is indexed.
    const found = await db.query(`SELECT 1 AS one FROM ${LEDGER_TABLE} WHERE seq = $1 AND request_id = $2`, [row[1], row[0]]);
    if (found.length > 0) continue;
    await db.execute(insertStatement(1), row);
    written++;
  }
  for (const file of files) LedgerJournal.remove(file);
  if (written > 0) onReplayed?.(written);
}
