// The shared key-value store on Redis (ioredis). An outage must never hang a caller: no offline queue (a
// command while disconnected fails at once), no retries of a command, a short command timeout (a frozen
// server or a silent network); ioredis keeps reconnecting in the background. Every failure surfaces as
// StoreUnavailableError, so callers have one thing to catch.

import { once } from "node:events";
import { Redis } from "ioredis";
import {
  type Admission,
  admitInTurn,
  checkTtl,
  checkWindowArguments,
  type JointAdmission,
  type KeyValueStore,
  StoreUnavailableError,
  type WindowCheck,
} from "./key-value-store.js";
import { WINDOW_SCRIPT } from "./redis-window-script.js";

export interface RedisKeyValueStoreOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Prepended to every key, so one Redis can serve other applications too. */
  keyPrefix?: string;
  /** A command without a reply after this long fails with StoreUnavailableError. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export class RedisKeyValueStore implements KeyValueStore {
  readonly kind = "redis";
  readonly #redis: Redis;
  readonly #prefix: string;
  #scriptSha: string | undefined;
  #lastError: Error | undefined;

  constructor(options: RedisKeyValueStoreOptions) {
    this.#prefix = options.keyPrefix ?? "basalt:";
    this.#redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    });
    // Without a listener an 'error' event would crash the process; the failure reaches callers as
    // StoreUnavailableError instead.
    this.#redis.on("error", (err: Error) => (this.#lastError = err));
  }

  /** Resolves once connected, or after `timeoutMs` (then the store keeps reconnecting on its own). */
  async waitUntilReady(timeoutMs = 2_000): Promise<boolean> {
    if (this.#redis.status === "ready") return true;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await once(this.#redis, "ready", { signal: timeout });
      return true;
    } catch {
      return false;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const value = await this.#run(() => this.#redis.getBuffer(this.#valueKey(key)));
    return value ?? undefined;
  }

  async set(key: string, value: Buffer, ttlMs?: number): Promise<void> {
    checkTtl(ttlMs);
    const redisKey = this.#valueKey(key);
    await this.#run(() => (ttlMs === undefined ? this.#redis.set(redisKey, value) : this.#redis.set(redisKey, value, "PX", ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.#run(() => this.#redis.del(this.#valueKey(key)));
  }

  async admit(key: string, cost: number, limit: number, windowMs: number): Promise<Admission> {
    checkWindowArguments(cost, windowMs, limit);
    return this.#window(key, cost, limit, windowMs);
  }

  admitAll(checks: readonly WindowCheck[], windowMs: number): Promise<JointAdmission> {
    return admitInTurn(this, checks, windowMs);
  }

  async charge(key: string, cost: number, windowMs: number): Promise<void> {
    checkWindowArguments(cost, windowMs);
    await this.#window(key, cost, -1, windowMs);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#run(() => this.#redis.ping())) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#redis.status === "ready") {
      try {
        await this.#redis.quit();
        return;
      } catch {
        // Fall through: the connection went away while quitting.
      }
    }
    this.#redis.disconnect();
  }

  async #window(key: string, cost: number, limit: number, windowMs: number): Promise<Admission> {
    // A hash tag keeps both keys in one slot, so the script also runs on Redis Cluster.
    const keys = [`${this.#prefix}win:{${key}}:log`, `${this.#prefix}win:{${key}}:meta`];
    const args = [String(cost), String(limit), String(windowMs)];
    const reply = await this.#run(() => this.#evalWindowScript(keys, args));
    if (!Array.isArray(reply) || reply.length !== 3) throw new StoreUnavailableError(`unexpected script reply ${String(reply)}`);
    const [admitted, used, retry] = reply as [number, string, string];
    const retryAfterMs = Number(retry);
    return admitted === 1
      ? { admitted: true, used: Number(used) }
      : { admitted: false, used: Number(used), ...(retryAfterMs >= 0 ? { retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) } : {}) };
  }

  async #evalWindowScript(keys: string[], args: string[]): Promise<unknown> {
    if (this.#scriptSha !== undefined) {
      try {
        return await this.#redis.evalsha(this.#scriptSha, keys.length, ...keys, ...args);
      } catch (err) {
        // A restarted (or flushed) Redis forgot the script: load it again below.
        if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      }
    }
    this.#scriptSha = String(await this.#redis.script("LOAD", WINDOW_SCRIPT));
    return this.#redis.evalsha(this.#scriptSha, keys.length, ...keys, ...args);
  }

  async #run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new StoreUnavailableError(`Redis unavailable: ${reason}`, { cause: err ?? this.#lastError });
    }
  }

  #valueKey(key: string): string {
    return `${this.#prefix}kv:${key}`;
  }
}
