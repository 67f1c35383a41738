// Counters and histograms whose hot path is a field increment. prom-client's own Counter and Histogram
// re-validate and re-hash their labels on every inc/observe, even through a labelled child (~6 µs of
// garbage-heavy work per echo call for Basalt's nine updates). Here each label set gets one cell, found
// once and kept; the registry reads the cells only when /metrics is scraped, through prom-client's metric
// interface (`get()`), so prom-client still owns the registry, the default process metrics and the text format.
import type { Registry } from "prom-client";

type Labels = Record<string, string>;
interface MetricValue { labels: Labels; value: number; metricName?: string }
interface MetricObject { name: string; help: string; type: "counter" | "histogram"; values: MetricValue[]; aggregator: "sum" }

export interface CounterCell { value: number }
export interface HistogramCell { readonly counts: number[]; sum: number; count: number }

abstract class CellMetric<C> {
  private readonly cells = new Map<string, { labels: Labels; cell: C }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The cell of one label set (values in labelNames order); keep it to update it without a lookup. */
  cell(...values: string[]): C {
    const key = values.join("\u0000");
    let entry = this.cells.get(key);
    if (!entry) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]));
      entry = { labels, cell: this.newCell() };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  protected abstract newCell(): C;
  protected abstract used(cell: C): boolean;
  protected abstract values(labels: Labels, cell: C): MetricValue[];

  /** prom-client's metric interface: read at scrape time. A cell never updated is not a series yet. */
  get(): MetricObject {
    const values: MetricValue[] = [];
    for (const { labels, cell } of this.cells.values()) if (this.used(cell)) values.push(...this.values(labels, cell));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: "sum" };
  }

  abstract readonly type: "counter" | "histogram";
}

export class CellCounter extends CellMetric<CounterCell> {
  readonly type = "counter";
  protected newCell(): CounterCell {
    return { value: 0 };
  }
  protected used(cell: CounterCell): boolean {
    return cell.value !== 0;
  }
  protected values(labels: Labels, cell: CounterCell): MetricValue[] {
    return [{ labels, value: cell.value }];
  }
}

export class CellHistogram extends CellMetric<HistogramCell> {
  readonly type = "histogram";

  constructor(name: string, help: string, labelNames: readonly string[], registry: Registry, private readonly buckets: readonly number[]) {
    super(name, help, labelNames, registry);
  }

  /** Adds one observation (in seconds) to a cell. */
  observe(cell: HistogramCell, value: number): void {
    const buckets = this.buckets;
    let i = 0;
    while (i < buckets.length && value > buckets[i]) i++;
    // Observations beyond the last bound only count towards +Inf (the count).
    if (i < buckets.length) cell.counts[i]++;
    cell.sum += value;
    cell.count++;
  }

  protected newCell(): HistogramCell {
    return { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
  }

  protected used(cell: HistogramCell): boolean {
    return cell.count !== 0;
  }

  protected values(labels: Labels, cell: HistogramCell): MetricValue[] {
    const out: MetricValue[] = [];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += cell.counts[i];
      out.push({ metricName: `${this.name}_bucket`, labels: { le: String(le), ...labels }, value: cumulative });
    });
    out.push({ metricName: `${this.name}_bucket`, labels: { le: "+Inf", ...labels }, value: cell.count });
    out.push({ metricName: `${this.name}_sum`, labels, value: cell.sum });
    out.push({ metricName: `${this.name}_count`, labels, value: cell.count });
    return out;
  }
}
