// openStores picks the stores from the config: embedded defaults with nothing set up, real Redis, Postgres
// and S3 (s3rver) when configured, and a Redis that is down at start-up leaves the node serving, degraded,
// until Redis appears. Also the config schemas the config owner embeds.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openStores, type StoresLogger } from "../../src/storage/open-stores.js";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import { ThreadedSqliteDatabase } from "../../src/storage/threaded-sqlite-database.js";
import { dataDirSchema, storageSchema } from "../../src/storage/storage-config.js";
import { freePort, type RunningRedis, startPostgres, startRedis, startS3rver } from "../helpers/services.js";

const dirs: string[] = [];
const tempDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "basalt-stores-"));
  dirs.push(dir);
  return join(dir, "data");
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("openStores", () => {
  test("with no storage config: memory, SQLite at <dataDir>/basalt.db, blobs under <dataDir>/s3", async () => {
    const dataDir = tempDataDir();
    const stores = await openStores({ dataDir });
    try {
      assert.deepEqual(await stores.health(), {
        ok: true,
        kv: { kind: "memory", degraded: false },
        sql: { dialect: "sqlite", ok: true },
        blobs: { kind: "local" },
      });
      assert.ok(existsSync(join(dataDir, "basalt.db")));
      await stores.blobs.put("s3://my-bucket/out/x.json", "{}");
      assert.ok(existsSync(join(dataDir, "s3", "my-bucket", "out", "x.json")));
      assert.equal((await stores.kv.admit("k", 1, 1, 1000)).admitted, true);
      // The background connection (the ledger's batches) is the same file, written from a worker thread.
      assert.ok(stores.backgroundSql instanceof ThreadedSqliteDatabase);
      await stores.backgroundSql.migrate([{ name: "background", sql: "CREATE TABLE background_rows (id INTEGER PRIMARY KEY)" }]);
      assert.equal(await stores.backgroundSql.execute("INSERT INTO background_rows (id) VALUES ($1)", [7]), 1);
      assert.deepEqual(await stores.sql.query("SELECT id FROM background_rows"), [{ id: 7 }]);
    } finally {
      await stores.close();
    }
  });

  test("with redis, postgres and s3 configured: each real service is used", async () => {
    const [redis, postgres, s3rver] = await Promise.all([startRedis(), startPostgres(), startS3rver({ buckets: ["stores-bucket"] })]);
    const stores = await openStores({ dataDir: tempDataDir(), redis: redis.url, postgres: postgres.url, s3: s3rver.config });
    const reader = new S3BlobStore(s3rver.config);
    try {
      assert.deepEqual(await stores.health(), {
        ok: true,
        kv: { kind: "redis", degraded: false },
        sql: { dialect: "postgres", ok: true },
        blobs: { kind: "s3" },
      });
      await stores.blobs.put("s3://stores-bucket/a.txt", "on s3rver");
      assert.equal((await reader.get("s3://stores-bucket/a.txt")).toString(), "on s3rver");
      await stores.kv.set("shared", Buffer.from("in redis"));
      await redis.restart(); // a fresh Redis has lost the value: it was there, not in local memory
      await eventually(async () => (await stores.kv.ping()) && !(await stores.health()).kv.degraded, "reconnected");
      await eventually(async () => (await stores.kv.get("shared").catch(() => "not yet")) === undefined, "value gone with Redis");
      assert.deepEqual(await stores.sql.query("SELECT 1 AS one"), [{ one: 1 }]);
      assert.equal(stores.backgroundSql, stores.sql, "Postgres: the pool already waits on the network, not the CPU");
    } finally {
      await stores.close();
      await reader.close();
      await Promise.all([redis.stop(), postgres.stop(), s3rver.stop()]);
    }
  });

  test("Redis down at start-up: the node starts degraded, logs it, serves locally, and switches when Redis appears", async () => {
    const port = await freePort();
    const warnings: string[] = [];
    const infos: string[] = [];
    const log: StoresLogger = { warn: (_fields, message) => warnings.push(message), info: (_fields, message) => infos.push(message) };
    const stores = await openStores({ dataDir: tempDataDir(), redis: `redis://127.0.0.1:${port}`, log, redisConnectTimeoutMs: 300 });
    let redis: RunningRedis | undefined;
    try {
      const health = await stores.health();
      assert.deepEqual(health.kv, { kind: "redis", degraded: true });
      assert.equal(health.ok, true);
      assert.equal(warnings.length, 1);
      assert.equal((await stores.kv.admit("k", 1, 1, 60_000)).admitted, true);
      assert.equal((await stores.kv.admit("k", 1, 1, 60_000)).admitted, false);
      redis = await startRedis({ port });
      await eventually(async () => !(await stores.health()).kv.degraded, "switches to Redis once it is up");
      assert.equal(infos.length, 1);
      assert.equal((await stores.kv.admit("k", 1, 1, 60_000)).admitted, true, "Redis's window is its own, fresh");
    } finally {
      await stores.close();
      await redis?.stop();
    }
  });
});

describe("storage config schemas", () => {
  test("the issues' examples parse; dataDir defaults to ./.basalt/", () => {
    assert.equal(dataDirSchema.parse(undefined), "./.basalt/");
    const parsed = storageSchema.parse({
      redis: "redis://127.0.0.1:6379",
      postgres: "postgres://basalt:secret@db:5432/basalt",
      s3: { endpoint: "http://127.0.0.1:9000", region: "eu-west-1", accessKeyId: "minio", secretAccessKey: "minio123", forcePathStyle: true },
    });
    assert.equal(parsed.s3?.region, "eu-west-1");
    assert.equal(storageSchema.parse({ s3: {} }).s3?.region, "us-east-1");
    assert.deepEqual(storageSchema.parse({}), {});
  });

  test("typos, wrong schemes and half credentials are refused", () => {
    for (const bad of [
      { redis: "http://127.0.0.1:6379" },
      { postgres: "mysql://db/x" },
      { s3: { endpoint: "not a url" } },
      { s3: { accessKeyId: "only-the-id" } },
      { s3: { region: "us-east-1", forcePathstyle: true } },
      { redsi: "redis://x" },
    ]) {
      assert.equal(storageSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
