// Prometheus metrics (prom-client's registry and text format, Basalt's own registry), updated once per
// finished call through cells kept per label set (metric-cells.ts). Labels stay
// bounded: the served model id (the config's list; an unresolved id is "unknown"), the operation, "ok" or
// the exception name, the provider name, and a token type. No request id, caller or raw ARN is a label,
// and each label keeps at most MAX_VALUES distinct values (the rest become "other").
import { Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { CellCounter, CellHistogram, type CounterCell, type HistogramCell } from "./metric-cells.js";
import type { CallRecord } from "../core/call-record.js";
import type { CallObserver } from "./call-observer.js";

const MAX_VALUES = 200;
const NAME_LIKE = /^[A-Za-z][A-Za-z0-9_.:\-/]{0,199}$/;

/** Admits at most MAX_VALUES distinct values for one label. */
class LabelValues {
  private readonly seen = new Set<string>();
  bound(value: string | undefined, fallback: string): string {
    if (!value) return fallback;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= MAX_VALUES || !NAME_LIKE.test(value)) return "other";
    this.seen.add(value);
    return value;
  }
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The cells one kind of call updates (operation × served model × outcome), found once per label set. */
interface CallCells {
  requests: CounterCell;
  input: CounterCell;
  output: CounterCell;
  cacheRead: CounterCell;
  cacheWrite: CounterCell;
  cost: CounterCell;
  duration: HistogramCell;
  ttft: HistogramCell;
  overhead: HistogramCell;
}

/** The cells of one upstream provider and attempt outcome. */
interface AttemptCells {
  attempts: CounterCell;
  upstream: HistogramCell;
}

export class CallMetrics implements CallObserver {
  readonly name = "metrics";
  readonly registry = new Registry();
  private readonly models = new LabelValues();
  private readonly operations = new LabelValues();
  private readonly statuses = new LabelValues();
  private readonly providers = new LabelValues();

  private readonly requests = new CellCounter(
    "basalt_requests_total",
    "Calls finished, by operation, served model and outcome (ok or the exception name).",
    ["operation", "model", "status"], this.registry,
  );
  private readonly tokens = new CellCounter(
    "basalt_tokens_total",
    "Tokens by served model and type (input, output, cache_read, cache_write).",
    ["model", "type"], this.registry,
  );
  private readonly duration = new CellHistogram(
    "basalt_request_duration_seconds",
    "Time from a request's arrival until its response closed.",
    ["operation", "model"], this.registry, LATENCY_BUCKETS,
  );
  private readonly ttft = new CellHistogram(
    "basalt_time_to_first_token_seconds",
    "Streams: time from arrival to the first event written.",
    ["operation", "model"], this.registry, LATENCY_BUCKETS,
  );
  private readonly upstream = new CellHistogram(
    "basalt_upstream_duration_seconds",
    "Wall time of each upstream attempt, by provider name.",
    ["provider"], this.registry, LATENCY_BUCKETS,
  );
  private readonly attempts = new CellCounter(
    "basalt_upstream_attempts_total",
    "Upstream attempts by provider and outcome (ok or the exception name).",
    ["provider", "outcome"], this.registry,
  );
  private readonly overhead = new CellHistogram(
    "basalt_overhead_seconds",
    "Time a call spent in Basalt rather than waiting for an upstream (latency minus upstream time).",
    ["operation"], this.registry, OVERHEAD_BUCKETS,
  );
  private readonly streamsOpen: Gauge;
  private readonly cost = new CellCounter(
    "basalt_cost_usd_total",
    "Cost in USD by served model, from the price table (calls without a known price add nothing).",
    ["model"], this.registry,
  );
  private readonly callCells = new Map<string, CallCells>();
  private readonly attemptCells = new Map<string, AttemptCells>();

  /** `openStreams`: read at each scrape (the front door counts its streams; nothing is done per event). */
  constructor(opts: { processMetrics?: boolean; openStreams?: () => number } = {}) {
    const openStreams = opts.openStreams ?? (() => 0);
    this.streamsOpen = new Gauge({
      name: "basalt_streams_open",
      help: "Event streams being written right now.",
      registers: [this.registry],
      collect() {
        this.set(openStreams());
      },
    });
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  private cellsOf(operation: string, model: string, status: string): CallCells {
    const key = `${operation}\u0000${model}\u0000${status}`;
    let cells = this.callCells.get(key);
    if (!cells) {
      cells = {
        requests: this.requests.cell(operation, model, status),
        input: this.tokens.cell(model, "input"),
        output: this.tokens.cell(model, "output"),
        cacheRead: this.tokens.cell(model, "cache_read"),
        cacheWrite: this.tokens.cell(model, "cache_write"),
        cost: this.cost.cell(model),
        duration: this.duration.cell(operation, model),
        ttft: this.ttft.cell(operation, model),
        overhead: this.overhead.cell(operation),
      };
      this.callCells.set(key, cells);
    }
    return cells;
  }

  private attemptCellsOf(provider: string, outcome: string): AttemptCells {
    const key = `${provider}\u0000${outcome}`;
    let cells = this.attemptCells.get(key);
    if (!cells) {
      cells = { attempts: this.attempts.cell(provider, outcome), upstream: this.upstream.cell(provider) };
      this.attemptCells.set(key, cells);
    }
    return cells;
  }

  observe(r: Readonly<CallRecord>): void {
    const model = this.models.bound(r.modelId, "unknown");
    const operation = this.operations.bound(r.operation, "unknown");
    // A stream the client left before its end is not "ok": it was cut, and its usage never arrived.
    const status = r.errorName ? this.statuses.bound(r.errorName, "error") : r.clientGone ? "client_gone" : "ok";
    const c = this.cellsOf(operation, model, status);
    c.requests.value++;
    if (r.inputTokens) c.input.value += r.inputTokens;
    if (r.outputTokens) c.output.value += r.outputTokens;
    if (r.cacheReadTokens) c.cacheRead.value += r.cacheReadTokens;
    if (r.cacheWriteTokens) c.cacheWrite.value += r.cacheWriteTokens;
    if (r.costUsd) c.cost.value += r.costUsd;
    if (r.latencyMs !== undefined) this.duration.observe(c.duration, r.latencyMs / 1000);
    if (r.timeToFirstTokenMs !== undefined) this.ttft.observe(c.ttft, r.timeToFirstTokenMs / 1000);
    let upstreamMs = 0;
    for (const a of r.attempts) {
      const cells = this.attemptCellsOf(this.providers.bound(a.provider, "unknown"), this.statuses.bound(a.outcome, "error"));
      cells.attempts.value++;
      if (a.durationMs !== undefined) {
        this.upstream.observe(cells.upstream, a.durationMs / 1000);
        upstreamMs += a.durationMs;
      }
    }
    if (!r.attempts.length && r.upstreamMs !== undefined && r.provider) {
      this.upstream.observe(this.upstream.cell(this.providers.bound(r.provider, "unknown")), r.upstreamMs / 1000);
    }
    if (r.latencyMs !== undefined) {
      const waited = r.upstreamMs ?? upstreamMs;
      this.overhead.observe(c.overhead, Math.max(0, r.latencyMs - waited) / 1000);
    }
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
