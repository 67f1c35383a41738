// The embedded key-value store: one process, no set-up. Values and windows are each LRU-bounded, times come
// from a monotonic clock (a wall-clock step must not expire or revive entries).

import { performance } from "node:perf_hooks";
import {
  ADMITTED, type Admission, checkTtl, checkWindowArguments, type JointAdmission, type KeyValueStore, type WindowCheck,
} from "./key-value-store.js";
import { LruMap } from "./lru-map.js";
import { SlidingWindowLog } from "./sliding-window-log.js";

export interface MemoryKeyValueStoreOptions {
  /** Most values kept (least recently used go first); the same bound applies to admission windows. */
  maxEntries?: number;
  /** Milliseconds from a monotonic clock; performance.now by default (tests move time forward with their own). */
  clock?: () => number;
}

interface Entry {
  value: Buffer;
  expiresAt: number;
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly kind = "memory";
  readonly #values: LruMap<string, Entry>;
  readonly #windows: LruMap<string, SlidingWindowLog>;
  readonly #now: () => number;

  constructor(options: MemoryKeyValueStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.clock ?? (() => performance.now());
    this.#values = new LruMap(maxEntries);
    this.#windows = new LruMap(maxEntries);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const entry = this.#values.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#values.delete(key);
      return undefined;
    }
    return Buffer.from(entry.value);
  }

  async set(key: string, value: Buffer, ttlMs?: number): Promise<void> {
    checkTtl(ttlMs);
    const expiresAt = ttlMs === undefined ? Infinity : this.#now() + ttlMs;
    this.#values.set(key, { value: Buffer.from(value), expiresAt });
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async admit(key: string, cost: number, limit: number, windowMs: number): Promise<Admission> {
    checkWindowArguments(cost, windowMs, limit);
    return this.#window(key).admit(this.#now(), cost, limit, windowMs);
  }

  // One synchronous step: nothing else runs between the checks and the records.
  async admitAll(checks: readonly WindowCheck[], windowMs: number): Promise<JointAdmission> {
    for (const c of checks) checkWindowArguments(c.cost, windowMs, c.limit);
    const now = this.#now();
    const logs = checks.map((c) => this.#window(c.key));
    for (let i = 0; i < checks.length; i++) {
      // The same window named twice must hold both costs.
      let cost = checks[i].cost;
      for (let j = 0; j < i; j++) if (logs[j] === logs[i]) cost += checks[j].cost;
      if (!logs[i].fits(now, cost, checks[i].limit, windowMs)) return { refused: i };
    }
    for (let i = 0; i < checks.length; i++) logs[i].charge(now, checks[i].cost, windowMs);
    return ADMITTED;
  }

  async charge(key: string, cost: number, windowMs: number): Promise<void> {
    checkWindowArguments(cost, windowMs);
    this.#window(key).charge(this.#now(), cost, windowMs);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.#values.clear();
    this.#windows.clear();
  }

  #window(key: string): SlidingWindowLog {
    let log = this.#windows.get(key);
    if (log === undefined) {
      log = new SlidingWindowLog();
      this.#windows.set(key, log);
    }
    return log;
  }
}
