// The ledger against a real SQLite file: batching, idempotent inserts, usage totals and percentiles, the calls
// query, retention, and a failing database that never loses queued calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newCallRecord, type CallRecord } from "../../src/core/call-record.js";
import type { SqlDatabase } from "../../src/storage/sql-database.js";
import { LedgerWriter } from "../../src/observe/ledger/ledger-writer.js";
import { LEDGER_MIGRATIONS } from "../../src/observe/ledger/ledger-schema.js";
import { queryUsage, usageToCsv } from "../../src/observe/ledger/usage-query.js";
import { queryCalls } from "../../src/observe/ledger/calls-query.js";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";

function call(over: Partial<CallRecord> & { requestId: string }): CallRecord {
  // A test's start time is also its arrival (the µs clock the ledger orders and ranges by).
  const arrival = over.startedAtMs !== undefined ? { arrivalUs: over.startedAtMs * 1000 } : {};
  return { ...newCallRecord({ requestId: over.requestId, frontDoor: "bedrock", operation: "Converse" }), ...arrival, ...over };
}

async function freshDb(): Promise<SqlDatabase> {
  return new SqliteDatabase(join(mkdtempSync(join(tmpdir(), "basalt-ledger-")), "ledger.db"));
}

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

test("observe() only queues; the timer writes within flushMs; flush() writes at once", async () => {
  const db = await freshDb();
  const writer = await LedgerWriter.open({ db, flushMs: 50 });
  writer.observe(call({ requestId: "a", modelId: "m", latencyMs: 5 }));
  assert.equal((await db.query("SELECT COUNT(*) AS n FROM basalt_call_ledger"))[0].n, 0, "nothing is written on the call's path");
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await db.query("SELECT COUNT(*) AS n FROM basalt_call_ledger"))[0].n, 1);
  writer.observe(call({ requestId: "b", modelId: "m", latencyMs: 5 }));
  await writer.flush();
  assert.equal((await db.query("SELECT COUNT(*) AS n FROM basalt_call_ledger"))[0].n, 2);
  await writer.close();
  await db.close();
});

test("a batch of batchRows writes without waiting for the timer", async () => {
  const db = await freshDb();
  const writer = await LedgerWriter.open({ db, flushMs: 60_000, batchRows: 10 });
  for (let i = 0; i < 9; i++) writer.observe(call({ requestId: `r${i}`, latencyMs: i }));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await db.query("SELECT COUNT(*) AS n FROM basalt_call_ledger"))[0].n, 0, "9 rows wait for the timer");
  writer.observe(call({ requestId: "r9", latencyMs: 9 }));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await db.query("SELECT COUNT(*) AS n FROM basalt_call_ledger"))[0].n, 10);
  await writer.close();
  await db.close();
});

test("a ledger made by the first schema (request id as primary key) is carried over by migration 005", async () => {
  const db = await freshDb();
  await db.migrate(LEDGER_MIGRATIONS.slice(0, 4));
  // Write one call the way the first schema took it (the writer's own migrate would bring 005 in).
  const asBefore: SqlDatabase = {
    dialect: db.dialect,
    query: (sql, params) => db.query(sql, params),
    execute: (sql, params) => db.execute(sql, params),
    transaction: (fn) => db.transaction(fn),
    migrate: async () => undefined,
    close: () => db.close(),
  };
  const early = await LedgerWriter.open({ db: asBefore, flushMs: 60_000 });
  early.observe(call({ requestId: "old-1", modelId: "m", inputTokens: 3 }));
  await early.flush();
  const writer = await LedgerWriter.open({ db });
  writer.observe(call({ requestId: "new-1", modelId: "m", inputTokens: 4 }));
  await writer.flush();
  assert.deepEqual((await queryCalls(db, { limit: 10 })).map((c) => c.requestId), ["new-1", "old-1"]);
  const indexes = await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'basalt_call_ledger'");
  assert.deepEqual(indexes.map((i) => i.name), ["basalt_call_ledger_seq"]);
  await writer.close();
  await db.close();
});

test("600 calls in one flush (several INSERT statements) all arrive", async () => {
  const db = await freshDb();
  const writer = await LedgerWriter.open({ db, flushMs: 60_000, batchRows: 100_000 });
  for (let i = 0; i < 600; i++) writer.observe(call({ requestId: `x${i}`, inputTokens: 1 }));
  await writer.flush();
  const [row] = await queryUsage(db, { groupBy: ["operation"] });
  assert.equal(row.requests, 600);
  assert.equal(row.inputTokens, 600);
  await writer.close();
  await db.close();
});

test("usage by model, caller, operation and day: exact totals, errors, cost, nearest-rank p50/p95", async () => {
  const db = await freshDb();
  const writer = await LedgerWriter.open({ db });
  // model a: latencies 1..20 ms, 2 errors, costs 0.5 each; model b: 3 calls, cost unknown.
  for (let i = 1; i <= 20; i++) {
    writer.observe(call({
      requestId: `a${i}`, startedAtMs: T0 + i, modelId: "a", caller: i % 2 ? "alice" : "bob", latencyMs: i,
      inputTokens: 10, outputTokens: 5, cacheReadTokens: 1, cacheWriteTokens: 2, costUsd: 0.5,
      ...(i <= 2 ? { errorName: "ThrottlingException", status: 429 } : {}),
    }));
  }
  for (let i = 1; i <= 3; i++) {
    writer.observe(call({
      requestId: `b${i}`, startedAtMs: T0 + DAY + i, modelId: "b", operation: "ConverseStream", caller: "alice",
      latencyMs: 100 * i, inputTokens: 7, outputTokens: 3, costUsd: null,
    }));
  }
  writer.observe(call({ requestId: "bad", startedAtMs: T0, requestedModelId: "nope", errorName: "ValidationException", status: 400, latencyMs: 1 }));
  await writer.flush();

  const byModel = await queryUsage(db, { groupBy: ["model"] });
  assert.deepEqual(byModel.map((r) => r.group), ["a", "b", "nope"]);
  const a = byModel[0];
  assert.deepEqual(
    { requests: a.requests, errors: a.errors, inputTokens: a.inputTokens, outputTokens: a.outputTokens, cacheReadTokens: a.cacheReadTokens, cacheWriteTokens: a.cacheWriteTokens, costUsd: a.costUsd, p50: a.p50LatencyMs, p95: a.p95LatencyMs },
    { requests: 20, errors: 2, inputTokens: 200, outputTokens: 100, cacheReadTokens: 20, cacheWriteTokens: 40, costUsd: 10, p50: 10, p95: 19 },
  );
  assert.equal(a.model, "a");
  const b = byModel[1];
  assert.equal(b.costUsd, null, "no known price is null, not 0");
  assert.equal(b.p50LatencyMs, 200);
  assert.equal(b.p95LatencyMs, 300);
  assert.equal(byModel[2].errors, 1);

  const byCaller = await queryUsage(db, { groupBy: ["caller"] });
  assert.deepEqual(byCaller.map((r) => [r.group, r.requests]), [["alice", 13], ["anonymous", 1], ["bob", 10]]);

  const byDay = await queryUsage(db, { groupBy: ["day"] });
  assert.deepEqual(byDay.map((r) => [r.group, r.requests]), [["2025-06-01", 21], ["2025-06-02", 3]]);

  const byDayModel = await queryUsage(db, { groupBy: ["day", "model"], fromMs: T0 + 1, toMs: T0 + DAY });
  assert.deepEqual(byDayModel.map((r) => [r.day, r.model, r.requests]), [["2025-06-01", "a", 20]]);

  const filtered = await queryUsage(db, { groupBy: ["operation"], caller: "alice" });
  assert.deepEqual(filtered.map((r) => [r.group, r.requests]), [["Converse", 10], ["ConverseStream", 3]]);

  const csv = usageToCsv(byModel, ["model"]);
  assert.equal(csv.split("\r\n")[0], "group,model,requests,errors,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,costUsd,p50LatencyMs,p95LatencyMs");
  assert.equal(csv.split("\r\n")[1], "a,a,20,2,200,100,20,40,10,10,19");
  assert.equal(csv.split("\r\n")[2], "b,b,3,0,21,9,0,0,,200,300");
  await writer.close();
  await db.close();
});

test("calls: newest first, filters by model, caller, operation, status; limit", async () => {
  const db = await freshDb();
  const writer = await LedgerWriter.open({ db });
  writer.observe(call({ requestId: "1", modelId: "m1", requestedModelId: "us.m1", caller: "alice", status: 200 }));
  writer.observe(call({ requestId: "2", modelId: "m2", operation: "ConverseStream", status: 200, errorName: "ThrottlingException" }));
  writer.observe(call({ requestId: "3", modelId: "m1", status: 429, errorName: "ThrottlingException", attempts: [{ provider: "p", upstreamModel: "u", outcome: "ThrottlingException", status: 429, durationMs: 3 }] }));
  await writer.flush();
  const ids = async (f: Partial<Parameters<typeof queryCalls>[1]>) => (await queryCalls(db, { limit: 100, ...f })).map((c) => c.requestId);
  assert.deepEqual(await ids({}), ["3", "2", "1"]);
  assert.deepEqual(await ids({ model: "m1" }), ["3", "1"]);
  assert.deepEqual(await ids({ model: "us.m1" }), ["1"]);
  assert.deepEqual(await ids({ caller: "alice" }), ["1"]);
  assert.deepEqual(await ids({ operation: "ConverseStream" }), ["2"]);
  assert.deepEqual(await ids({ status: "ok" }), ["1"]);
  assert.deepEqual(await ids({ status: "error" }), ["3", "2"]);
  assert.deepEqual(await ids({ status: "429" }), ["3"]);
  assert.deepEqual(await ids({ status: "ThrottlingException" }), ["3", "2"]);
  assert.deepEqual(await ids({ limit: 1 }), ["3"]);
  const [third] = await queryCalls(db, { limit: 1 });
  assert.deepEqual(third.attempts, [{ provider: "p", upstreamModel: "u", outcome: "ThrottlingException", status: 429, durationMs: 3 }]);
  assert.equal(third.costUsd, null);
  assert.equal(third.clientGone, false);
  assert.equal(typeof third.startedAt, "string");
  await writer.close();
  await db.close();
});

test("retention deletes calls older than the cut-off only", async () => {
  const db = await freshDb();
  const writer = await LedgerWriter.open({ db });
  writer.observe(call({ requestId: "old", startedAtMs: T0 }));
  writer.observe(call({ requestId: "new", startedAtMs: T0 + 10 * DAY }));
  await writer.flush();
  assert.equal(await writer.deleteOlderThan(T0 + DAY), 1);
  assert.deepEqual((await queryCalls(db, { limit: 10 })).map((c) => c.requestId), ["new"]);
  await writer.close();
  await db.close();
});

test("a failing database keeps the calls and writes them once it is back; onError is told once", async () => {
  const real = await freshDb();
  let down = true;
  const flakyOf = (db: SqlDatabase): SqlDatabase => ({
    dialect: db.dialect,
    query: (sql, params) => db.query(sql, params),
    execute: (sql, params) => (down && sql.startsWith("INSERT") ? Promise.reject(new Error("connection refused")) : db.execute(sql, params)),
    transaction: (fn) => db.transaction((tx) => fn(flakyOf(tx))),
    migrate: (m) => db.migrate(m),
    close: () => db.close(),
  });
  const flaky = flakyOf(real);
  const errors: number[] = [];
  const writer = await LedgerWriter.open({ db: flaky, flushMs: 20, onError: (_e, pending) => errors.push(pending) });
  writer.observe(call({ requestId: "q1" }));
  writer.observe(call({ requestId: "q2" }));
  await new Promise((r) => setTimeout(r, 150));
  writer.observe(call({ requestId: "q3" }));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(errors.length, 1, "one report per failure streak");
  assert.equal(writer.pendingRows, 3);
  down = false;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(writer.pendingRows, 0);
  assert.deepEqual((await queryCalls(real, { limit: 10 })).map((c) => c.requestId).sort(), ["q1", "q2", "q3"]);
  await writer.close();
  await real.close();
});
