// Keeps a shared store's callers serving through its outage: on StoreUnavailableError the call is answered
// by a local store instead (per-node counters, a per-node cache), `degraded` turns true, and a background
// probe switches back once the shared store answers again. While degraded the shared store is not called
// at all, so a frozen Redis costs callers nothing, not a command timeout each.

import { type Admission, type JointAdmission, type KeyValueStore, StoreUnavailableError, type WindowCheck } from "./key-value-store.js";
import { MemoryKeyValueStore } from "./memory-key-value-store.js";

export interface DegradingKeyValueStoreOptions {
  primary: KeyValueStore;
  /** Serves while the primary is down; a fresh MemoryKeyValueStore by default. */
  fallback?: KeyValueStore;
  /** How often the primary is pinged while degraded. */
  probeIntervalMs?: number;
  /** Told on each switch, for a log line (`cause` is set when degrading). */
  onStateChange?: (state: { degraded: boolean; cause?: unknown }) => void;
}

export class DegradingKeyValueStore implements KeyValueStore {
  readonly kind: KeyValueStore["kind"];
  readonly #primary: KeyValueStore;
  readonly #fallback: KeyValueStore;
  readonly #probeIntervalMs: number;
  readonly #onStateChange: DegradingKeyValueStoreOptions["onStateChange"];
  #probe: NodeJS.Timeout | undefined;
  #probing = false;

  constructor(options: DegradingKeyValueStoreOptions) {
    this.#primary = options.primary;
    this.kind = options.primary.kind;
    this.#fallback = options.fallback ?? new MemoryKeyValueStore();
    this.#probeIntervalMs = options.probeIntervalMs ?? 1_000;
    this.#onStateChange = options.onStateChange;
  }

  /** True while calls are answered by the local fallback (report it in /_basalt/ready). */
  get degraded(): boolean {
    return this.#probe !== undefined;
  }

  /** Starts degraded (e.g. the primary was unreachable at start-up); recovery is probed as usual. */
  degrade(cause: unknown): void {
    if (this.#probe !== undefined) return;
    this.#probe = setInterval(() => void this.#probeOnce(), this.#probeIntervalMs);
    this.#probe.unref();
    this.#onStateChange?.({ degraded: true, cause });
  }

  get(key: string): Promise<Buffer | undefined> {
    return this.#call((store) => store.get(key));
  }

  set(key: string, value: Buffer, ttlMs?: number): Promise<void> {
    return this.#call((store) => store.set(key, value, ttlMs));
  }

  delete(key: string): Promise<void> {
    return this.#call((store) => store.delete(key));
  }

  admit(key: string, cost: number, limit: number, windowMs: number): Promise<Admission> {
    return this.#call((store) => store.admit(key, cost, limit, windowMs));
  }

  admitAll(checks: readonly WindowCheck[], windowMs: number): Promise<JointAdmission> {
    return this.#call((store) => store.admitAll(checks, windowMs));
  }

  charge(key: string, cost: number, windowMs: number): Promise<void> {
    return this.#call((store) => store.charge(key, cost, windowMs));
  }

  /** True while calls are answered at all — also when degraded (see `degraded`). */
  async ping(): Promise<boolean> {
    return this.degraded ? this.#fallback.ping() : true;
  }

  async close(): Promise<void> {
    clearInterval(this.#probe);
    this.#probe = undefined;
    await Promise.all([this.#primary.close(), this.#fallback.close()]);
  }

  async #call<T>(operation: (store: KeyValueStore) => Promise<T>): Promise<T> {
    if (!this.degraded) {
      try {
        return await operation(this.#primary);
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        this.degrade(err);
      }
    }
    return operation(this.#fallback);
  }

  async #probeOnce(): Promise<void> {
    if (this.#probing || this.#probe === undefined) return;
    this.#probing = true;
    try {
      if ((await this.#primary.ping()) && this.#probe !== undefined) {
        clearInterval(this.#probe);
        this.#probe = undefined;
        this.#onStateChange?.({ degraded: false });
      }
    } finally {
      this.#probing = false;
    }
  }
}
