// The ledger's journal: every finished call's row is appended to a local file (one write per event-loop turn,
// synchronously) before it waits for its batch, so a `kill -9` loses no call whose response went out. The
// database write stays batched and off the response path (ledger-writer.ts); the journal only bridges the
// fraction of a second a row waits. A batch's rows live in sealed segment files until the batch is in the
// database, then those files go. A process that starts replays the segments of processes that are gone
// (its own earlier runs included) and deletes them.
//
// Why a file and not the database: a synchronous commit per call on the serving thread was what round 10 took
// away (a batch held the event loop for up to 18 ms); an append to the page cache is one system call, and it
// survives the process dying (not the machine losing power: the database's own commits decide that).
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { SqlValue } from "../../storage/sql-database.js";

// <pid>-<instance>-<segment>.jsonl: one process may run several Basalts on one data directory (tests do).
const SEGMENT = /^(\d+)-([0-9a-f]+)-(\d+)\.jsonl$/;
/** Journals of this process that are open now: their files are not leftovers. */
const LIVE = new Set<string>();

export class LedgerJournal {
  readonly #dir: string;
  readonly #instance = randomBytes(4).toString("hex");
  #fd: number | undefined;
  #file: string | undefined;
  #segment = 0;
  #sealed: string[] = [];
  #buffer = "";
  #scheduled = false;
  readonly #flushLater = () => {
    this.#scheduled = false;
    this.#write();
  };

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
    LIVE.add(this.#instance);
  }

  /**
   * Rows left by processes that are gone, and the files they came from (delete them once the rows are in the
   * database). A segment of a live process (another node on this data directory) is not touched.
   */
  static leftovers(dir: string): { files: string[]; rows: SqlValue[][] } {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return { files: [], rows: [] };
    }
    const files: string[] = [];
    const rows: SqlValue[][] = [];
    for (const name of names.sort()) {
      const m = SEGMENT.exec(name);
      if (!m || !gone(Number(m[1]), m[2])) continue;
      const path = join(dir, name);
      files.push(path);
      for (const line of readFileSync(path, "utf8").split("\n")) {
        // The last line of a process killed mid-write may be cut: it was never acknowledged as a whole.
        if (line === "") continue;
        try {
          const row = JSON.parse(line) as unknown;
          if (Array.isArray(row)) rows.push(row as SqlValue[]);
        } catch {
          // A cut line: skipped.
        }
      }
    }
    return { files, rows };
  }

  /** Deletes a leftover file once its rows are in the database. */
  static remove(file: string): void {
    unlinkQuietly(file);
  }

  /** Queues one row (values[from, from + width)); it reaches the file at the end of this turn. */
  append(values: readonly SqlValue[], from: number, width: number): void {
    this.#buffer += `${JSON.stringify(values.slice(from, from + width))}\n`;
    if (!this.#scheduled) {
      this.#scheduled = true;
      // Before the next I/O callback: the observers of one turn's calls share one write.
      queueMicrotask(this.#flushLater);
    }
  }

  /**
   * Closes the current segment for the batch about to be written; returns how many segments are sealed so
   * far, the mark to release once that batch is in the database.
   */
  seal(): number {
    this.#write();
    if (this.#fd !== undefined) {
      closeSync(this.#fd);
      this.#sealed.push(this.#file!);
      this.#fd = undefined;
      this.#file = undefined;
    }
    return this.#sealed.length;
  }

  /** Deletes the first `mark` sealed segments (their rows are in the database). */
  release(mark: number): void {
    for (const file of this.#sealed.splice(0, mark)) unlinkQuietly(file);
  }

  /** On a clean stop with every row written: seals and deletes everything. */
  releaseAll(): void {
    this.release(this.seal());
  }

  /** Writes what waits; leaves the files (a stop whose rows were not all written replays them next start). */
  close(): void {
    this.#write();
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    LIVE.delete(this.#instance);
  }

  #write(): void {
    if (this.#buffer === "") return;
    if (this.#fd === undefined) {
      this.#file = join(this.#dir, `${process.pid}-${this.#instance}-${String(++this.#segment).padStart(9, "0")}.jsonl`);
      this.#fd = openSync(this.#file, "a");
    }
    const text = this.#buffer;
    this.#buffer = "";
    writeSync(this.#fd, text);
  }
}

/** Whether the journal that wrote a segment is gone: its process ended, or it was this process's and closed. */
function gone(pid: number, instance: string): boolean {
  return pid === process.pid ? !LIVE.has(instance) : !alive(pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
