// SQLite against the shared SQL contract, plus what only the embedded database promises: a file in the data
// directory in WAL mode with synchronous=NORMAL, and a kill -9 in the middle of writing loses no commit and
// never corrupts the file.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { sqlContract } from "./sql.contract.js";

const dir = mkdtempSync(join(tmpdir(), "basalt-sqlite-"));
const db = new SqliteDatabase(join(dir, "nested", "basalt.db"));
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

sqlContract("sqlite", { db: () => db, peer: () => db });

test("sqlite: the file is created with its directories, in WAL mode, synchronous=NORMAL", async () => {
  assert.deepEqual(await db.query("PRAGMA journal_mode"), [{ journal_mode: "wal" }]);
  assert.deepEqual(await db.query("PRAGMA synchronous"), [{ synchronous: 1 }]);
});

for (const [connection, args] of [["the main thread's connection", []], ["the worker thread's connection (ThreadedSqliteDatabase)", ["--thread"]]] as const) {
  test(`sqlite: kill -9 while committing through ${connection} loses no acknowledged commit and leaves an intact file`, async () => {
    const path = join(dir, `killed-${args.length}.db`);
    const writer = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./sqlite-writer.ts", import.meta.url)), path, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let acknowledged = 0;
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on("data", (chunk: Buffer) => {
        const lines = chunk.toString().trim().split("\n");
        acknowledged = Number(lines[lines.length - 1]);
        if (acknowledged >= 300 && writer.exitCode === null) {
          writer.kill("SIGKILL");
          resolve();
        }
      });
      writer.once("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`writer exited with ${code}`))));
    });
    await new Promise((resolve) => writer.once("close", resolve));
    const reopened = new SqliteDatabase(path);
    try {
      assert.deepEqual(await reopened.query("PRAGMA integrity_check"), [{ integrity_check: "ok" }]);
      const [{ n, max }] = await reopened.query<{ n: number; max: number }>("SELECT COUNT(*) AS n, MAX(id) AS max FROM writes");
      assert.ok(n >= acknowledged, `${n} rows after restart, ${acknowledged} were acknowledged`);
      assert.equal(n, max, "rows are whole transactions: no gaps, no half-written batch");
    } finally {
      await reopened.close();
    }
  });
}
