// Small shared state (quota counters, breaker state, cache entries): in memory by default, on Redis when
// `storage.redis` is set so every Basalt node shares it. Every implementation passes the
// test/storage/key-value.contract.ts suite. A store that is down throws StoreUnavailableError quickly (never
// hangs); callers degrade (local counters, no cache), they never fail a request because of it.
// DegradingKeyValueStore does that degrading for them.

export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

export interface Admission {
  admitted: boolean;
  /** Cost inside the window after this call (including `cost` when admitted). */
  used: number;
  /** When refused: ms until enough of the window has expired for `cost` to fit. Absent when `cost > limit`
   * (it never will). */
  retryAfterMs?: number;
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
   * Window keys live apart from get/set keys: `admit("k")` never touches `get("k")`.
   */
  admit(key: string, cost: number, limit: number, windowMs: number): Promise<Admission>;
  /** Records `cost` in the window without checking a limit (output tokens charged after an answer). */
  charge(key: string, cost: number, windowMs: number): Promise<void>;
  /** Healthy or not, for /_basalt/ready. Never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Refuses arguments no window can mean (shared by every implementation so they refuse alike). */
export function checkWindowArguments(cost: number, windowMs: number, limit = 0): void {
  if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`cost must be a finite number ≥ 0, got ${cost}`);
  if (!Number.isFinite(limit) || limit < 0) throw new RangeError(`limit must be a finite number ≥ 0, got ${limit}`);
  if (!Number.isInteger(windowMs) || windowMs <= 0) throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`);
}

/** Refuses a ttl Redis and memory would read differently. */
export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs <= 0)) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}
