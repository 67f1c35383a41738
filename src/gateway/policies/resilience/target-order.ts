// The order in which one call tries a routed model's targets. `fallback`: as listed. `balance`: the first
// target is picked by smooth weighted round-robin (nginx's) among the targets whose breakers would let a call
// through — weights 3:1 give A A B A, A A B A …, exactly 3 in 4 with no randomness to flake — and the others
// follow as fallbacks, heaviest first.
import type { Strategy } from "../../../config/routing-config.js";

export interface Orderable {
  readonly weight: number;
  /** False while the target's breaker is open: it gets no share of the load. */
  readonly available: boolean;
}

export class TargetOrder<T extends Orderable> {
  readonly #targets: readonly T[];
  readonly #strategy: Strategy;
  readonly #byWeight: readonly T[];
  readonly #current: number[];

  constructor(targets: readonly T[], strategy: Strategy) {
    this.#targets = targets;
    this.#strategy = strategy;
    this.#byWeight = [...targets].sort((a, b) => b.weight - a.weight);
    this.#current = targets.map(() => 0);
  }

  /** The targets in the order this call tries them. */
  next(): readonly T[] {
    if (this.#strategy === "fallback" || this.#targets.length === 1) return this.#targets;
    const first = this.#pick();
    if (first === undefined) return this.#byWeight;
    return [first, ...this.#byWeight.filter((t) => t !== first)];
  }

  #pick(): T | undefined {
    let total = 0;
    let best = -1;
    for (let i = 0; i < this.#targets.length; i++) {
      const t = this.#targets[i];
      if (!t.available) continue;
      this.#current[i] += t.weight;
      total += t.weight;
      if (best < 0 || this.#current[i] > this.#current[best]) best = i;
    }
    if (best < 0) return undefined;
    this.#current[best] -= total;
    return this.#targets[best];
  }
}
