// An exact sliding-window log for one key: every admitted cost with its time. An entry counts while
// `now - time < windowMs`, so the window really slides — unlike a fixed minute, which lets twice the limit
// through across a boundary. Memory is one entry per admission still inside the window.

import type { Admission } from "./key-value-store.js";

export class SlidingWindowLog {
  #times: number[] = [];
  #costs: number[] = [];
  #head = 0;
  #sum = 0;

  /** True when nothing is left in the window (the log can be dropped). */
  isEmpty(now: number, windowMs: number): boolean {
    this.#expire(now, windowMs);
    return this.#head === this.#times.length;
  }

  admit(now: number, cost: number, limit: number, windowMs: number): Admission {
    this.#expire(now, windowMs);
    if (this.#sum + cost > limit) {
      const retryAfterMs = this.#retryAfter(now, cost, limit, windowMs);
      return retryAfterMs === undefined ? { admitted: false, used: this.#sum } : { admitted: false, used: this.#sum, retryAfterMs };
    }
    this.charge(now, cost, windowMs);
    return { admitted: true, used: this.#sum };
  }

  /** Whether `cost` fits under `limit` now, recording nothing. */
  fits(now: number, cost: number, limit: number, windowMs: number): boolean {
    this.#expire(now, windowMs);
    return this.#sum + cost <= limit;
  }

  charge(now: number, cost: number, windowMs: number): void {
    this.#expire(now, windowMs);
    if (cost <= 0) return;
    this.#times.push(now);
    this.#costs.push(cost);
    this.#sum += cost;
  }

  /** When enough of the oldest entries will have left the window for `cost` to fit; absent if it never can. */
  #retryAfter(now: number, cost: number, limit: number, windowMs: number): number | undefined {
    if (cost > limit) return undefined;
    let excess = this.#sum + cost - limit;
    for (let i = this.#head; i < this.#times.length; i++) {
      excess -= this.#costs[i];
      if (excess <= 0) return Math.max(1, Math.ceil(this.#times[i] + windowMs - now));
    }
    return windowMs;
  }

  #expire(now: number, windowMs: number): void {
    const oldestAllowed = now - windowMs;
    while (this.#head < this.#times.length && this.#times[this.#head] <= oldestAllowed) {
      this.#sum -= this.#costs[this.#head];
      this.#head++;
    }
    if (this.#head === this.#times.length) {
      this.#times = [];
      this.#costs = [];
      this.#head = 0;
      this.#sum = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#costs = this.#costs.slice(this.#head);
      this.#head = 0;
    }
  }
}
