// Child process of sql-sqlite.cases.ts and sql-sqlite-thread.cases.ts: commits batches of rows as fast as it
// can and prints the id of the last row after each commit returns, until it is killed. `--thread` writes
// through ThreadedSqliteDatabase (the ledger's connection) instead of the main-thread one.
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { ThreadedSqliteDatabase } from "../../src/storage/threaded-sqlite-database.js";

const path = process.argv[2];
const db = process.argv.includes("--thread") ? new ThreadedSqliteDatabase(path) : new SqliteDatabase(path);
await db.migrate([{ name: "writes", sql: "CREATE TABLE writes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)" }]);
for (let id = 1; ; ) {
  const first = id;
  await db.transaction(async (tx) => {
    for (; id < first + 10; id++) await tx.execute("INSERT INTO writes (id, body) VALUES ($1, $2)", [id, "x".repeat(200)]);
  });
  process.stdout.write(`${id - 1}\n`);
}
