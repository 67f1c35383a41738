// Everything that watches finished calls, composed once: the cost is priced first (so the log line, the
// ledger, the metrics and the traces all see the same figure), then each observer in turn. One observer
// failing never stops the others or touches the call.
import type { Logger } from "pino";
import type { CallRecord } from "../core/call-record.js";
import type { SqlDatabase } from "../storage/sql-database.js";
import type { CallObserver } from "./call-observer.js";
import { CallHistory } from "./history.js";
import { CallLogLine } from "./log-line.js";
import { CallMetrics } from "./metrics.js";
import { LedgerWriter } from "./ledger/ledger-writer.js";
import { PriceTable } from "./ledger/prices.js";
import { startRetention } from "./ledger/retention.js";
import type { ObserveOptions, PriceConfig } from "./observe-config.js";
import { createTracing } from "./tracing.js";

export interface ObserveStackOptions {
  options: ObserveOptions;
  logger: Logger;
  /** The ledger's database (its reads: /_basalt/calls, usage); required when options.ledger.enabled. */
  db?: SqlDatabase;
  /**
   * Where the ledger writes its batches, when not through `db`: a connection to the same database whose
   * statements run off the serving thread (openStores' `backgroundSql`).
   */
  ledgerWrites?: SqlDatabase;
  /**
   * Where the ledger journals queued rows so that a crash loses none (ledger/ledger-journal.ts); none: rows wait
   * in memory only. The server passes `<dataDir>/ledger-journal`.
   */
  ledgerJournalDir?: string;
  /** Served model id → configured price. */
  prices?: Iterable<[string, PriceConfig]>;
  /** Provider name → type (openai, anthropic, bedrock, echo). */
  providerTypes?: ReadonlyMap<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Event streams open right now, for basalt_streams_open. */
  openStreams?: () => number;
}

export interface ObserveStack {
  /** The one observer to register with the call context. */
  readonly observer: CallObserver;
  readonly history: CallHistory;
  readonly metrics?: CallMetrics;
  readonly ledger?: LedgerWriter;
  readonly db?: SqlDatabase;
  readonly prices: PriceTable;
  close(): Promise<void>;
}

class PricedFanOut implements CallObserver {
  readonly name = "observe";
  private readonly failed = new Set<string>();

  constructor(
    private readonly prices: PriceTable,
    private readonly observers: readonly CallObserver[],
    private readonly logLine: CallObserver,
    private readonly logger: Logger,
  ) {}

  observe(record: Readonly<CallRecord>): void {
    // The admin API's own requests (the console polling, Prometheus scraping) are not usage: log line only.
    if (record.frontDoor === "admin") return this.run(this.logLine, record);
    // CountTokens is free and consumes nothing: its count is an answer (logged), not usage.
    const counting = record.operation === "CountTokens";
    const priced: Readonly<CallRecord> = counting ? { ...record, inputTokens: undefined, costUsd: 0 } : withCost(record, this.prices);
    this.run(this.logLine, counting ? record : priced);
    for (const o of this.observers) this.run(o, priced);
  }

  private run(o: CallObserver, record: Readonly<CallRecord>): void {
    try {
      o.observe(record);
    } catch (err) {
      // Once per observer: a bug here must not flood the log on every call.
      if (!this.failed.has(o.name)) this.logger.error({ err, observer: o.name, requestId: record.requestId }, "call observer failed");
      this.failed.add(o.name);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.observers, this.logLine].map((o) => o.close?.()));
  }
}

/**
 * The record with its cost. The call has ended when its record gets here and nothing writes to it any more,
 * so the price is set on it in place: a copy of the whole record per call (to add one field) was ~1 % of an
 * echo Converse's CPU.
 */
function withCost(record: Readonly<CallRecord>, prices: PriceTable): Readonly<CallRecord> {
  if (record.costUsd === undefined) (record as CallRecord).costUsd = prices.costOf(record);
  return record;
}

export async function createObserveStack(opts: ObserveStackOptions): Promise<ObserveStack> {
  const { options, logger } = opts;
  const providerTypes = opts.providerTypes ?? new Map<string, string>();
  const echoProviders = [...providerTypes].filter(([, type]) => type === "echo").map(([name]) => name);
  const prices = new PriceTable(opts.prices ?? [], echoProviders);
  const history = new CallHistory(options.history);
  const metrics = options.metrics.enabled ? new CallMetrics({ openStreams: opts.openStreams }) : undefined;
  let ledger: LedgerWriter | undefined;
  let stopRetention = () => undefined as void;
  if (options.ledger.enabled) {
    if (!opts.db) throw new Error("the ledger is enabled but no database was given");
    ledger = await LedgerWriter.open({
      db: opts.ledgerWrites ?? opts.db,
      journalDir: opts.ledgerJournalDir,
      onReplayed: (rows) => logger.info({ rows }, "ledger: wrote the calls a stopped process left in its journal"),
      onError: (err, pendingRows) => logger.error({ err, pendingRows }, "ledger write failed; calls are kept in memory and retried"),
    });
    stopRetention = startRetention({
      writer: ledger,
      retentionDays: options.ledger.retentionDays,
      onError: (err) => logger.warn({ err }, "ledger retention sweep failed"),
    });
  }
  const tracing = await createTracing(
    {
      providerTypes,
      onError: (err) => logger.warn({ err }, "trace export failed"),
      onWarning: (message) => logger.warn(message),
    },
    opts.env,
  );
  const observers: CallObserver[] = [history];
  if (metrics) observers.push(metrics);
  if (ledger) observers.push(ledger);
  if (tracing) observers.push(tracing);
  const observer = new PricedFanOut(prices, observers, new CallLogLine(logger), logger);
  return {
    observer,
    history,
    metrics,
    ledger,
    db: opts.db,
    prices,
    async close() {
      stopRetention();
      await observer.close();
    },
  };
}
