// ThreadedSqliteDatabase (the ledger's connection, on a worker thread) against the shared SQL contract, plus
// what only it promises: what it acknowledges is in the file for the main connection to read, bytes come back
// as Buffer, the thread stops when idle and starts again on the next statement, and a thread that cannot
// start fails its statements instead of leaving them waiting.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { ThreadedSqliteDatabase } from "../../src/storage/threaded-sqlite-database.js";
import { sqlContract } from "./sql.contract.js";

const dir = mkdtempSync(join(tmpdir(), "basalt-sqlite-thread-"));
const threaded = new ThreadedSqliteDatabase(join(dir, "basalt.db"));
after(async () => {
  await threaded.close();
  rmSync(dir, { recursive: true, force: true });
});

sqlContract("sqlite on a worker thread", { db: () => threaded, peer: () => threaded });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("sqlite thread: an acknowledged write is in the file for the main thread's connection to read", async () => {
  const path = join(dir, "shared.db");
  const writer = new ThreadedSqliteDatabase(path);
  const reader = new SqliteDatabase(path);
  try {
    await writer.migrate([{ name: "rows", sql: "CREATE TABLE rows_here (id INTEGER PRIMARY KEY, data BLOB)" }]);
    assert.equal(await writer.execute("INSERT INTO rows_here (id, data) VALUES ($1, $2), ($3, $4)", [1, Buffer.from([0, 1, 255]), 2, null]), 2);
    assert.deepEqual(await reader.query("SELECT id, data FROM rows_here ORDER BY id"), [{ id: 1, data: Buffer.from([0, 1, 255]) }, { id: 2, data: null }]);
    const [row] = await writer.query<{ data: Buffer }>("SELECT data FROM rows_here WHERE id = $1", [1]);
    assert.ok(Buffer.isBuffer(row.data), "bytes read through the thread come back as a Buffer");
    assert.deepEqual([...row.data], [0, 1, 255]);
  } finally {
    await writer.close();
    await reader.close();
  }
});

test("sqlite thread: the thread stops after idleMs without a statement and the next statement starts it again", async () => {
  const db = new ThreadedSqliteDatabase(join(dir, "idle.db"), { idleMs: 50 });
  try {
    assert.equal(db.running, false, "no thread before the first statement");
    await db.migrate([{ name: "t", sql: "CREATE TABLE t (id INTEGER PRIMARY KEY)" }]);
    assert.equal(db.running, true);
    await db.execute("INSERT INTO t (id) VALUES ($1)", [1]);
    for (let waited = 0; db.running && waited < 5_000; waited += 20) await sleep(20);
    assert.equal(db.running, false, "stopped once idle");
    assert.equal(await db.execute("INSERT INTO t (id) VALUES ($1)", [2]), 1);
    assert.equal(db.running, true, "started again");
    assert.deepEqual(await db.query("SELECT COUNT(*) AS n FROM t"), [{ n: 2 }]);
  } finally {
    await db.close();
  }
});

test("sqlite thread: a transaction keeps its thread between statements, however long it waits", async () => {
  const db = new ThreadedSqliteDatabase(join(dir, "tx-idle.db"), { idleMs: 20 });
  try {
    await db.migrate([{ name: "t", sql: "CREATE TABLE t (id INTEGER PRIMARY KEY)" }]);
    await db.transaction(async (tx) => {
      await tx.execute("INSERT INTO t (id) VALUES ($1)", [1]);
      await sleep(150);
      await tx.execute("INSERT INTO t (id) VALUES ($1)", [2]);
    });
    assert.deepEqual(await db.query("SELECT id FROM t ORDER BY id"), [{ id: 1 }, { id: 2 }]);
  } finally {
    await db.close();
  }
});

test("sqlite thread: a thread that cannot open its file fails each statement (and the next one tries again)", async () => {
  // Its directory would have to be made inside a file.
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const db = new ThreadedSqliteDatabase(join(file, "basalt.db"));
  await assert.rejects(db.query("SELECT 1 AS one"), /EEXIST|ENOTDIR/);
  assert.equal(db.running, false, "the dead thread is forgotten");
  await assert.rejects(db.execute("SELECT 1"), /EEXIST|ENOTDIR/);
  await db.close();
  await assert.rejects(db.query("SELECT 1 AS one"), /closed/);
});

test("sqlite thread: a statement waiting for its answer keeps the process alive; an idle thread does not", async () => {
  const { spawnSync } = await import("node:child_process");
  const script = `
    import { ThreadedSqliteDatabase } from ${JSON.stringify(new URL("../../src/storage/threaded-sqlite-database.ts", import.meta.url).href)};
    const db = new ThreadedSqliteDatabase(${JSON.stringify(join(dir, "alive.db"))});
    console.log(JSON.stringify(await db.query("SELECT 41 + 1 AS answer")));
  `;
  // No close(): the process must still exit once the answer is in (the idle thread holds nothing up).
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), '[{"answer":42}]');
});
