// Prometheus metrics (prom-client, a registry of Basalt's own), updated once per finished call. Labels stay
// bounded: the served model id (the config's list; an unresolved id is "unknown"), the operation, "ok" or
// the exception name, the provider name, and a token type. No request id, caller or raw ARN is a label,
// and each label keeps at most MAX_VALUES distinct values (the rest become "other").
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
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

export class CallMetrics implements CallObserver {
  readonly name = "metrics";
  readonly registry = new Registry();
  private readonly models = new LabelValues();
  private readonly operations = new LabelValues();
  private readonly statuses = new LabelValues();
  private readonly providers = new LabelValues();

  private readonly requests = new Counter({
    name: "basalt_requests_total",
    help: "Calls finished, by operation, served model and outcome (ok or the exception name).",
    labelNames: ["operation", "model", "status"] as const,
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: "basalt_tokens_total",
    help: "Tokens by served model and type (input, output, cache_read, cache_write).",
    labelNames: ["model", "type"] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "basalt_request_duration_seconds",
    help: "Time from a request's arrival until its response closed.",
    labelNames: ["operation", "model"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly ttft = new Histogram({
    name: "basalt_time_to_first_token_seconds",
    help: "Streams: time from arrival to the first event written.",
    labelNames: ["operation", "model"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly upstream = new Histogram({
    name: "basalt_upstream_duration_seconds",
    help: "Wall time of each upstream attempt, by provider name.",
    labelNames: ["provider"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: "basalt_upstream_attempts_total",
    help: "Upstream attempts by provider and outcome (ok or the exception name).",
    labelNames: ["provider", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly overhead = new Histogram({
    name: "basalt_overhead_seconds",
    help: "Time a call spent in Basalt rather than waiting for an upstream (latency minus upstream time).",
    labelNames: ["operation"] as const,
    buckets: OVERHEAD_BUCKETS,
    registers: [this.registry],
  });
  private readonly streamsOpen: Gauge;
  private readonly cost = new Counter({
    name: "basalt_cost_usd_total",
    help: "Cost in USD by served model, from the price table (calls without a known price add nothing).",
    labelNames: ["model"] as const,
    registers: [this.registry],
  });

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

  // prom-client's labels() hashes its arguments on every call; the children are kept per label set instead
  // (bounded, as the label values are).
  private readonly counters = new Map<Counter<string>, Map<string, { inc(n?: number): void }>>();
  private readonly histograms = new Map<Histogram<string>, Map<string, { observe(v: number): void }>>();

  private counter(metric: Counter<string>, ...values: string[]): { inc(n?: number): void } {
    let byLabels = this.counters.get(metric);
    if (!byLabels) this.counters.set(metric, (byLabels = new Map()));
    const key = values.join("\u0000");
    let child = byLabels.get(key);
    if (!child) byLabels.set(key, (child = metric.labels(...values)));
    return child;
  }

  private histogram(metric: Histogram<string>, ...values: string[]): { observe(v: number): void } {
    let byLabels = this.histograms.get(metric);
    if (!byLabels) this.histograms.set(metric, (byLabels = new Map()));
    const key = values.join("\u0000");
    let child = byLabels.get(key);
    if (!child) byLabels.set(key, (child = metric.labels(...values)));
    return child;
  }

  observe(r: Readonly<CallRecord>): void {
    const model = this.models.bound(r.modelId, "unknown");
    const operation = this.operations.bound(r.operation, "unknown");
    const status = r.errorName ? this.statuses.bound(r.errorName, "error") : "ok";
    this.counter(this.requests, operation, model, status).inc();
    if (r.inputTokens) this.counter(this.tokens, model, "input").inc(r.inputTokens);
    if (r.outputTokens) this.counter(this.tokens, model, "output").inc(r.outputTokens);
    if (r.cacheReadTokens) this.counter(this.tokens, model, "cache_read").inc(r.cacheReadTokens);
    if (r.cacheWriteTokens) this.counter(this.tokens, model, "cache_write").inc(r.cacheWriteTokens);
    if (r.costUsd) this.counter(this.cost, model).inc(r.costUsd);
    if (r.latencyMs !== undefined) this.histogram(this.duration, operation, model).observe(r.latencyMs / 1000);
    if (r.timeToFirstTokenMs !== undefined) this.histogram(this.ttft, operation, model).observe(r.timeToFirstTokenMs / 1000);
    let upstreamMs = 0;
    for (const a of r.attempts) {
      const provider = this.providers.bound(a.provider, "unknown");
      this.counter(this.attempts, provider, this.statuses.bound(a.outcome, "error")).inc();
      if (a.durationMs !== undefined) {
        this.histogram(this.upstream, provider).observe(a.durationMs / 1000);
        upstreamMs += a.durationMs;
      }
    }
    if (!r.attempts.length && r.upstreamMs !== undefined && r.provider) {
      this.histogram(this.upstream, this.providers.bound(r.provider, "unknown")).observe(r.upstreamMs / 1000);
    }
    if (r.latencyMs !== undefined) {
      const waited = r.upstreamMs ?? upstreamMs;
      this.histogram(this.overhead, operation).observe(Math.max(0, r.latencyMs - waited) / 1000);
    }
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
