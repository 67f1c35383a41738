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

/** One window of several admitted together (KeyValueStore.admitAll). */
export interface WindowCheck {
  readonly key: string;
  readonly cost: number;
  readonly limit: number;
}

/** admitAll's answer: `refused` is the index of the first check whose cost did not fit. */
export interface JointAdmission {
  readonly refused?: number;
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
  /**
   * Several windows admitted together (a call's quotas: its key's and its model's, requests and tokens), all
   * or none: when one check's cost does not fit its window, nothing is recorded and `refused` names the first
   * such check. The embedded store does it in one step. Redis admits each window atomically on its own (the
   * windows of different keys may live on different Cluster slots): it looks at all of them first, then
   * admits them in turn, so only another node racing between the look and the admission can over-count.
   */
  admitAll(checks: readonly WindowCheck[], windowMs: number): Promise<JointAdmission>;
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

/** admitAll for a store whose windows are atomic one at a time: look at every window, then admit each in turn. */
export async function admitInTurn(store: Pick<KeyValueStore, "admit">, checks: readonly WindowCheck[], windowMs: number): Promise<JointAdmission> {
  if (checks.length > 1) {
    const seen = await Promise.all(checks.map((c) => store.admit(c.key, 0, c.limit, windowMs)));
    const refused = seen.findIndex((s, i) => s.used + checks[i].cost > checks[i].limit);
    if (refused !== -1) return { refused };
  }
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i];
    if (!(await store.admit(c.key, c.cost, c.limit, windowMs)).admitted) return { refused: i };
  }
  return ADMITTED;
}

export const ADMITTED: JointAdmission = Object.freeze({});

/** Refuses a ttl Redis and memory would read differently. */
export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs <= 0)) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}
