// Child process of sql-sqlite.test.ts: commits batches of rows as fast as it can and prints the id of the
// last row after each commit returns, until it is killed.
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";

const db = new SqliteDatabase(process.argv[2]);
await db.migrate([{ name: "writes", sql: "CREATE TABLE writes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)" }]);
for (let id = 1; ; ) {
  const first = id;
  await db.transaction(async (tx) => {
    for (; id < first + 10; id++) await tx.execute("INSERT INTO writes (id, body) VALUES ($1, $2)", [id, "x".repeat(200)]);
  });
  process.stdout.write(`${id - 1}\n`);
}
