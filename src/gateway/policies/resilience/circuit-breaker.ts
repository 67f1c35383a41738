// One target's circuit breaker. Closed: calls go through; `failures` consecutive transient failures open it.
// Open: the target is skipped (never called) for `cooldownMs`. Then the next call is the one probe (others
// still skip the target while it runs): its success closes the breaker, its failure opens it for another
// cool-down. State is per Basalt process, so checking it costs no round trip on the call path.
import type { BreakerConfig } from "../../../config/routing-config.js";

export type BreakerState = "closed" | "open" | "half-open";

/** What a call was let through as: an ordinary call, or the one probe of a half-open breaker. */
export type Pass = "call" | "probe";

export interface CircuitBreakerOptions extends BreakerConfig {
  /** Told on every change of state, for a log line. */
  onStateChange?: (state: BreakerState) => void;
  /** Monotonic milliseconds; tests may pass their own clock. */
  now?: () => number;
}

export class CircuitBreaker {
  #state: BreakerState = "closed";
  #consecutiveFailures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call now would be let through (no state change): for choosing among targets. */
  get available(): boolean {
    if (this.#state === "closed") return true;
    if (this.#state === "open") return this.#now() - this.#openedAt >= this.#options.cooldownMs;
    return !this.#probing;
  }

  /** Lets a call through, or answers undefined: the target must be skipped. */
  pass(): Pass | undefined {
    if (this.#state === "closed") return "call";
    if (this.#state === "open") {
      if (this.#now() - this.#openedAt < this.#options.cooldownMs) return undefined;
      this.#set("half-open");
    }
    if (this.#probing) return undefined;
    this.#probing = true;
    return "probe";
  }

  /** The target answered (also with an error that is the caller's fault: it is up). */
  succeeded(pass: Pass): void {
    if (pass === "probe") this.#probing = false;
    this.#consecutiveFailures = 0;
    if (this.#state !== "closed") this.#set("closed");
  }

  /**
   * A stream's first event arrived: a probe's success (the breaker closes), but the run of consecutive failures
   * is not reset yet — a target whose streams keep breaking after they start must still open the breaker. How
   * the stream ends is told with succeeded("call") or failed("call").
   */
  started(pass: Pass): void {
    if (pass === "probe") this.#probing = false;
    if (this.#state !== "closed") this.#set("closed");
  }

  /** The target failed transiently. */
  failed(pass: Pass): void {
    if (pass === "probe") this.#probing = false;
    if (this.#state === "half-open") return this.#open();
    if (this.#state === "open") return; // a call let through before it opened, ending now
    if (++this.#consecutiveFailures >= this.#options.failures) this.#open();
  }

  /** The call ended without telling anything about the target (the client went away). */
  released(pass: Pass): void {
    if (pass === "probe") this.#probing = false;
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#consecutiveFailures = 0;
    this.#set("open");
  }

  #set(state: BreakerState): void {
    const changed = state !== this.#state;
    this.#state = state;
    if (changed) this.#options.onStateChange?.(state);
  }
}
