// Small shared state (quota counters, breaker state, cache entries): in memory by default, on Redis when
// `storage.redis` is set so every Basalt node shares it. Every implementation passes test/storage/key-value
// contract suite. A store that is down throws StoreUnavailableError; callers degrade (local counters, no cache),
// they never fail a request because of it.

export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

export interface KeyValueStore {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<Buffer | undefined>;
  /** ttlMs: entry expires after this many ms (undefined = never). */
  set(key: string, value: Buffer, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Sliding-window admission, atomic across nodes: within the last `windowMs`, the sum of admitted costs
   * plus `cost` must stay ≤ `limit`; if so `cost` is recorded now and `{ admitted: true }` returned, else
   * nothing is recorded and `retryAfterMs` says when enough of the window will have expired.
   */
  admit(key: string, cost: number, limit: number, windowMs: number): Promise<{ admitted: boolean; used: number; retryAfterMs?: number }>;
  /** Records `cost` in the window without checking a limit (output tokens charged after an answer). */
  charge(key: string, cost: number, windowMs: number): Promise<void>;
  /** Healthy or not, for /_basalt/ready. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
