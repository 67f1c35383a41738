// The worker-thread side of ThreadedSqliteDatabase: one SQLite connection (SqliteDatabase: the same pragmas,
// placeholders and migrations as the main thread's) that runs each statement it is sent, in arrival order,
// and posts back the result. Statements are synchronous in SQLite, so while one runs here the main thread
// keeps serving requests.
import { parentPort, workerData } from "node:worker_threads";
import type { Migration, SqlValue } from "./sql-database.js";
import { SqliteDatabase } from "./sqlite-database.js";
import { fromWire, type ThreadReply, type ThreadRequest } from "./sqlite-thread-messages.js";

const port = parentPort;
if (!port) throw new Error("sqlite-thread runs as a worker thread");
const db = new SqliteDatabase((workerData as { path: string }).path);

async function run(request: ThreadRequest): Promise<unknown> {
  switch (request.kind) {
    case "query":
      return db.query(request.sql, fromWire(request.params) as SqlValue[]);
    case "execute":
      return db.execute(request.sql, fromWire(request.params) as SqlValue[]);
    case "migrate":
      return db.migrate(request.migrations as Migration[]);
    case "close":
      return db.close();
  }
}

port.on("message", (request: ThreadRequest) => {
  // SqliteDatabase's methods settle within this message's microtasks: replies leave in arrival order.
  run(request).then(
    (value) => {
      port.postMessage({ id: request.id, ok: true, value } satisfies ThreadReply);
      if (request.kind === "close") port.close();
    },
    (err: Error & { code?: unknown }) =>
      port.postMessage({ id: request.id, ok: false, error: { name: err.name, message: err.message, code: typeof err.code === "string" ? err.code : undefined } } satisfies ThreadReply),
  );
});
