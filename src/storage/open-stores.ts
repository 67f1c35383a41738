// The composition root's one call for storage: picks each store from the config — Redis, Postgres and S3
// when configured, else the embedded defaults (memory, SQLite at `<dataDir>/basalt.db`, local disk at
// `<dataDir>/s3/`) so a first run needs nothing installed. SQLite gets a second connection on a worker
// thread for the ledger's batches (backgroundSql). Redis is wrapped to degrade to local memory
// during an outage (also when it is down at start-up); health() tells /_basalt/ready what is in use.
// The clients for Redis, Postgres and S3 are imported only when configured: together they are ~35 MB of a
// node's resident memory (and ~200 ms of start-up) that the embedded defaults never use.

import { join, resolve } from "node:path";
import type { BlobStore } from "./blob-store.js";
import { DegradingKeyValueStore } from "./degrading-key-value-store.js";
import { type KeyValueStore, StoreUnavailableError } from "./key-value-store.js";
import { LocalBlobStore } from "./local-blob-store.js";
import { MemoryKeyValueStore } from "./memory-key-value-store.js";
import type { SqlDatabase } from "./sql-database.js";
import { SqliteDatabase } from "./sqlite-database.js";
import { ThreadedSqliteDatabase } from "./threaded-sqlite-database.js";
import type { S3StorageConfig } from "./storage-config.js";

/** What openStores logs through (pino's Logger fits). */
export interface StoresLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface OpenStoresConfig {
  /** `server.dataDir`. */
  dataDir: string;
  /** `storage.redis`, `storage.postgres`, `storage.s3`. */
  redis?: string;
  postgres?: string;
  s3?: S3StorageConfig;
  log?: StoresLogger;
  /** Bound of the memory key-value store (also Redis's local fallback); e.g. `cache.maxEntries`. */
  memoryMaxEntries?: number;
  /** How long start-up waits for Redis before starting degraded. */
  redisConnectTimeoutMs?: number;
}

export interface StoresHealth {
  /** False when the SQL database does not answer (the node cannot record calls or run jobs). */
  ok: boolean;
  /** `degraded`: Redis is configured but unreachable; counters and cache are local to this node. */
  kv: { kind: KeyValueStore["kind"]; degraded: boolean };
  sql: { dialect: SqlDatabase["dialect"]; ok: boolean };
  blobs: { kind: BlobStore["kind"] };
}

export interface Stores {
  kv: KeyValueStore;
  sql: SqlDatabase;
  /**
   * The same database for write-heavy background work (the ledger's batches), off the serving thread:
   * SQLite's statements run on a worker thread (its own connection, started when first used, stopped when
   * idle); on Postgres it is `sql` itself, whose statements already wait on the network, not the CPU.
   */
  backgroundSql: SqlDatabase;
  blobs: BlobStore;
  /** For /_basalt/ready; never throws. */
  health(): Promise<StoresHealth>;
  close(): Promise<void>;
}

export async function openStores(config: OpenStoresConfig): Promise<Stores> {
  const dataDir = resolve(config.dataDir);
  const kv = config.redis === undefined ? new MemoryKeyValueStore({ maxEntries: config.memoryMaxEntries }) : await openRedis(config, config.redis);
  let sql: SqlDatabase;
  let backgroundSql: SqlDatabase;
  try {
    if (config.postgres === undefined) {
      const path = join(dataDir, "basalt.db");
      sql = new SqliteDatabase(path);
      backgroundSql = new ThreadedSqliteDatabase(path);
    } else {
      const pg = new (await import("./postgres-database.js")).PostgresDatabase({ url: config.postgres });
      sql = backgroundSql = pg;
      // Asked once here, so that a database that cannot be reached is named in the start-up error (the first
      // real query, a migration, would otherwise report a bare "connect ECONNREFUSED …").
      await pg.query("SELECT 1").catch(async (err: unknown) => {
        await pg.close().catch(() => undefined);
        throw new Error(`storage.postgres: ${err instanceof Error ? err.message : String(err)} (the ledger, jobs and guardrails live in this database; Basalt needs it at start)`);
      });
    }
  } catch (err) {
    await kv.close();
    throw err;
  }
  const blobs: BlobStore =
    config.s3 === undefined
      ? new LocalBlobStore(join(dataDir, "s3"))
      : new (await import("./s3-blob-store.js")).S3BlobStore({ ...config.s3, forcePathStyle: config.s3.forcePathStyle ?? config.s3.endpoint !== undefined });
  return {
    kv,
    sql,
    backgroundSql,
    blobs,
    health: async () => {
      const sqlOk = await sqlAnswers(sql);
      return {
        ok: sqlOk,
        kv: { kind: kv.kind, degraded: kv instanceof DegradingKeyValueStore && kv.degraded },
        sql: { dialect: sql.dialect, ok: sqlOk },
        blobs: { kind: blobs.kind },
      };
    },
    close: async () => {
      // The background connection first: what it was sent is written before the main one closes.
      const background = backgroundSql === sql ? undefined : await backgroundSql.close().catch((err: unknown) => err);
      const results = await Promise.allSettled([kv.close(), sql.close(), blobs.close()]);
      if (background !== undefined) throw background;
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed !== undefined) throw failed.reason;
    },
  };
}

async function openRedis(config: OpenStoresConfig, url: string): Promise<DegradingKeyValueStore> {
  const { RedisKeyValueStore } = await import("./redis-key-value-store.js");
  const redis = new RedisKeyValueStore({ url });
  const kv = new DegradingKeyValueStore({
    primary: redis,
    fallback: new MemoryKeyValueStore({ maxEntries: config.memoryMaxEntries }),
    onStateChange: ({ degraded, cause }) =>
      degraded
        ? config.log?.warn({ err: cause }, "Redis unavailable: quotas and cache now count on this node only")
        : config.log?.info({}, "Redis is back: quotas and cache are shared again"),
  });
  if (!(await redis.waitUntilReady(config.redisConnectTimeoutMs ?? 2_000))) {
    kv.degrade(new StoreUnavailableError(`Redis at ${redactUrl(url)} did not answer at start-up`));
  }
  return kv;
}

async function sqlAnswers(sql: SqlDatabase): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(resolve, 2_000, false).unref());
  const answer = sql.query("SELECT 1 AS one").then(
    () => true,
    () => false,
  );
  return Promise.race([answer, timeout]);
}

/** A URL for a log line, without its password. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
