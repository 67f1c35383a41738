// Whether each configured upstream can be reached, for /_basalt/ready. A probe is one GET to the provider's
// address without credentials: any HTTP answer (even 401 or 404) means the network path and the server are up;
// no answer within the timeout, a refused connection or a DNS failure means they are not. Probing never spends
// tokens and never sends a key. Nothing is probed until readiness is first asked for (a server nobody polls
// sends upstreams nothing but calls), and results are kept a while so a poller does not hammer upstreams.

export interface ProviderReachability {
  type: string;
  /** true: it answered; false: it did not; null: not checked (built in, or answers from cassettes). */
  reachable: boolean | null;
  /** Where the probe went (origin and path, never credentials). */
  url?: string;
  /** The HTTP status it answered with (any status counts as reachable). */
  status?: number;
  /** Why it is unreachable: an error code such as ECONNREFUSED, or "timeout". */
  error?: string;
  latencyMs?: number;
  /** ISO time of the check. */
  checkedAt?: string;
  note?: string;
}

/** One upstream to check: where its probe goes (no URL: reported as given, not checked). */
export interface ProbeTarget {
  name: string;
  type: string;
  url?: string;
  note?: string;
}

interface Target {
  name: string;
  type: string;
  url?: URL;
  note?: string;
}

export interface ProbeOptions {
  /** One probe's deadline. */
  timeoutMs?: number;
  /** How long a result is reused before the next /ready triggers a new round. */
  maxAgeMs?: number;
}

const DEFAULT_TIMEOUT_MS = 3_000;
const DEFAULT_MAX_AGE_MS = 15_000;
// How long the first readiness request waits for the first round before answering "starting".
const FIRST_WAIT_MS = 1_000;

/** The URL as shown: no user, password or query (a key may ride in any of them). */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The most telling code in an error's cause chain (fetch wraps the socket error). */
function errorCode(err: unknown): string {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return "timeout";
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && !code.startsWith("UND_ERR_SOCKET")) return code;
  }
  return err instanceof Error ? err.message : String(err);
}

export class ProviderProbe {
  private readonly targets: Target[];
  private readonly timeoutMs: number;
  private readonly maxAgeMs: number;
  private results = new Map<string, ProviderReachability>();
  private round?: Promise<void>;
  private lastRoundAt = 0;
  private firstRound?: Promise<void>;
  private readonly stop = new AbortController();

  constructor(targets: readonly ProbeTarget[], opts: ProbeOptions = {}) {
    this.targets = targets.map((t) => ({ ...t, url: t.url === undefined ? undefined : new URL(t.url) }));
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    for (const t of this.targets) {
      // Built in (echo) is always there; anything else without a URL is not checked.
      if (!t.url) this.results.set(t.name, { type: t.type, reachable: t.type === "echo" ? true : null, note: t.note });
    }
  }

  /**
   * The reachability per provider, and whether every upstream has been checked once. The first call starts
   * the first round and waits for it up to `waitMs`; later calls answer at once (refreshing old results in
   * the background).
   */
  async report(waitMs = FIRST_WAIT_MS): Promise<{ checked: boolean; providers: Record<string, ProviderReachability> }> {
    if (!this.firstRound) {
      this.firstRound = this.refresh();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.firstRound, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    return { checked: this.checked, providers: this.snapshot() };
  }

  /** True once every upstream has been checked at least once. */
  get checked(): boolean {
    return this.targets.every((t) => this.results.has(t.name));
  }

  /** The latest results; starts a new round in the background when they are old. */
  private snapshot(): Record<string, ProviderReachability> {
    if (!this.round && this.checked && Date.now() - this.lastRoundAt > this.maxAgeMs) void this.refresh();
    return Object.fromEntries(this.targets.map((t) => [t.name, this.results.get(t.name) ?? { type: t.type, reachable: null, note: "checking" }]));
  }

  close(): void {
    this.stop.abort();
  }

  private refresh(): Promise<void> {
    this.round = Promise.all(this.targets.filter((t) => t.url).map((t) => this.probe(t))).then(() => {
      this.lastRoundAt = Date.now();
      this.round = undefined;
    });
    return this.round;
  }

  private async probe(t: Target & { url?: URL }): Promise<void> {
    const url = t.url!;
    const started = performance.now();
    const base = { type: t.type, url: shown(url) };
    try {
      const res = await fetch(url, {
        method: "GET",
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stop.signal]),
      });
      await res.body?.cancel().catch(() => undefined);
      this.results.set(t.name, { ...base, reachable: true, status: res.status, latencyMs: Math.round(performance.now() - started), checkedAt: new Date().toISOString() });
    } catch (err) {
      this.results.set(t.name, { ...base, reachable: false, error: errorCode(err), latencyMs: Math.round(performance.now() - started), checkedAt: new Date().toISOString() });
    }
  }
}
