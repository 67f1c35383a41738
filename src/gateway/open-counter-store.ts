// The store quota counters live in: this node's memory, or Redis (`storage.redis`) shared by every node,
// wrapped so an outage degrades to local counters instead of failing calls. The switch both ways is logged;
// `state()` is what /_basalt/ready reports.
// Storage's files are imported one by one, not through storage/index.js: that would load the Redis client
// (ioredis) on every node, and Postgres's and S3's with it, configured or not.
import { DegradingKeyValueStore } from "../storage/degrading-key-value-store.js";
import { StoreUnavailableError, type KeyValueStore } from "../storage/key-value-store.js";
import { MemoryKeyValueStore } from "../storage/memory-key-value-store.js";

export interface CounterStore {
  readonly store: KeyValueStore;
  /**
   * `degraded`: Redis is configured but unreachable, so limits are counted per node. Asks Redis when it is
   * believed up, so a node that has not counted anything since Redis went away still tells the truth.
   */
  state(): Promise<{ kind: KeyValueStore["kind"]; degraded: boolean }>;
}

export interface CounterStoreLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export async function openCounterStore(opts: {
  redis?: string;
  log: CounterStoreLogger;
  connectTimeoutMs?: number;
  /** The embedded store's monotonic clock (tests move it); Redis keeps its own time. */
  clock?: () => number;
}): Promise<CounterStore> {
  if (opts.redis === undefined) {
    const store = new MemoryKeyValueStore({ clock: opts.clock });
    return { store, state: async () => ({ kind: store.kind, degraded: false }) };
  }
  const { RedisKeyValueStore } = await import("../storage/redis-key-value-store.js");
  const redis = new RedisKeyValueStore({ url: opts.redis });
  const store = new DegradingKeyValueStore({
    primary: redis,
    onStateChange: ({ degraded, cause }) =>
      degraded
        ? opts.log.warn({ err: cause instanceof Error ? cause.message : String(cause) }, "Redis unavailable: quotas now count on this node only")
        : opts.log.info({}, "Redis is back: quotas are shared by every node again"),
  });
  // Start serving either way: without Redis at start-up, counters are local until it answers.
  if (!(await redis.waitUntilReady(opts.connectTimeoutMs ?? 2_000))) {
    store.degrade(new StoreUnavailableError("Redis did not answer at start-up"));
  }
  return {
    store,
    async state() {
      if (!store.degraded && !(await redis.ping())) store.degrade(new StoreUnavailableError("Redis did not answer a readiness ping"));
      return { kind: store.kind, degraded: store.degraded };
    },
  };
}
