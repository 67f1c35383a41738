// A second connection to the embedded SQLite file that runs on its own worker thread, for write-heavy
// background work (the ledger's batches). SQLite statements are synchronous: on the main connection a batch
// of 1,024 ledger rows held the event loop for 6–17 ms and cost ~7 µs of the serving thread per call. Here
// the main thread only posts the statement and its parameters.
// - The thread starts on the first statement and stops after `idleMs` without one (an idle node does not
//   keep a second V8 isolate, ~10 MB, resident); the next statement starts it again.
// - Statements run in the order they were called; a transaction holds the connection from BEGIN IMMEDIATE to
//   COMMIT as on the main connection (SingleConnectionDatabase), its statements sent one by one.
// - If the thread dies, what it was running fails (the ledger keeps those rows and retries) and the next
//   statement starts a new thread. A statement is acknowledged once SQLite has returned from it: kill -9
//   loses nothing acknowledged (WAL, synchronous=NORMAL, as on the main connection).
// Passes test/storage/sql.contract.ts like every SqlDatabase.
import { Worker } from "node:worker_threads";
import type { Migration, SqlRow } from "./sql-database.js";
import { SingleConnectionDatabase } from "./single-connection-database.js";
import { rowsFromWire, type ThreadReply, type ThreadRequest } from "./sqlite-thread-messages.js";
import type { SqlConnection } from "./sql-transaction.js";

// Built, the worker is sqlite-thread.js beside this file. Under tsx (the tests) this module is the .ts
// source: its worker is the .ts source too, loaded through tsx's loader, which a worker does not inherit.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(FROM_SOURCE ? "./sqlite-thread.ts" : "./sqlite-thread.js", import.meta.url);

// None of the process's own flags: the thread needs none, and some would stop it (a program run with
// `--input-type=module -e` passes a flag a file entry point refuses).
const EXEC_ARGV: string[] = [];
// The thread allocates little (a batch of rows per message): a small young generation keeps its heap small.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2 };

function startWorker(path: string): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: { path }, execArgv: EXEC_ARGV, resourceLimits: RESOURCE_LIMITS });
  const load = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(load, { eval: true, workerData: { path }, execArgv: EXEC_ARGV, resourceLimits: RESOURCE_LIMITS });
}
const DEFAULT_IDLE_MS = 10_000;

/** A request before it is given its id (Omit applied to each member of the union). */
type Request = ThreadRequest extends infer R ? (R extends ThreadRequest ? Omit<R, "id"> : never) : never;

export interface ThreadedSqliteOptions {
  /** How long the thread stays up without a statement. */
  idleMs?: number;
}

export class ThreadedSqliteDatabase extends SingleConnectionDatabase {
  readonly #idleMs: number;
  protected readonly connection: SqlConnection;
  #thread: SqliteThread | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(readonly path: string, opts: ThreadedSqliteOptions = {}) {
    super();
    this.#idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
    this.connection = {
      query: async (sql, params) => rowsFromWire((await this.#send({ kind: "query", sql, params })) as SqlRow[]),
      execute: async (sql, params) => (await this.#send({ kind: "execute", sql, params })) as number,
    };
  }

  /** True while the worker thread is up. */
  get running(): boolean {
    return this.#thread !== undefined;
  }

  protected async migrateNow(migrations: readonly Migration[]): Promise<void> {
    await this.#send({ kind: "migrate", migrations });
  }

  protected async closeNow(): Promise<void> {
    this.#closed = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    const thread = this.#thread;
    this.#thread = undefined;
    await thread?.close();
  }

  #send(request: Request): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error("the database is closed"));
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#thread ??= new SqliteThread(this.path, {
      onQuiet: (thread) => this.#armIdleStop(thread),
      onGone: (thread) => {
        if (this.#thread === thread) this.#thread = undefined;
      },
    });
    return this.#thread.send(request);
  }

  #armIdleStop(thread: SqliteThread): void {
    if (this.#thread !== thread || this.#closed) return;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => void this.#stopIfIdle(thread), this.#idleMs).unref();
  }

  async #stopIfIdle(thread: SqliteThread): Promise<void> {
    this.#idleTimer = undefined;
    // A transaction between two of its statements has nothing in flight but holds the connection: wait for it.
    await this.whenIdle(() => {
      if (this.#thread !== thread || thread.busy) return;
      this.#thread = undefined;
      return thread.close();
    });
  }
}

interface ThreadEvents {
  /** Nothing sent is unanswered any more. */
  onQuiet(thread: SqliteThread): void;
  /** The thread has ended (closed, or crashed: its unanswered statements have failed). */
  onGone(thread: SqliteThread): void;
}

/** One worker thread and the statements sent to it that it has not answered yet. */
class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  readonly #exited: Promise<void>;
  #nextId = 0;
  #gone: Error | undefined;

  constructor(path: string, private readonly events: ThreadEvents) {
    this.#worker = startWorker(path);
    // Only a statement waiting for its answer keeps the process alive (ref'd from send to the last answer):
    // an idle thread does not hold up an exit.
    this.#worker.unref();
    this.#worker.on("message", (reply: ThreadReply) => this.#settle(reply));
    this.#worker.on("error", (err) => this.#end(err));
    this.#exited = new Promise((resolve) =>
      this.#worker.once("exit", (code) => {
        this.#end(new Error(`the SQLite thread ended (exit code ${code})`));
        resolve();
      }),
    );
  }

  get busy(): boolean {
    return this.#pending.size > 0;
  }

  send(request: Request): Promise<unknown> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = ++this.#nextId;
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  /** Closes the connection once what was sent before has run, and waits for the thread to end. */
  async close(): Promise<void> {
    await this.send({ kind: "close" }).catch(() => undefined);
    // Waiting for the thread to end is waiting on it too: it keeps the process alive until then.
    this.#worker.ref();
    await this.#exited;
  }

  #settle(reply: ThreadReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
    if (this.#pending.size === 0 && !this.#gone) {
      this.#worker.unref();
      this.events.onQuiet(this);
    }
  }

  #end(err: Error): void {
    if (this.#gone) return;
    this.#gone = err;
    for (const { reject } of this.#pending.values()) reject(err);
    this.#pending.clear();
    this.events.onGone(this);
  }
}
