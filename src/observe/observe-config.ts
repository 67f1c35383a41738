// The config keys observability reads. config/schema.ts takes each schema into its place with one line:
//   models[].price   → priceSchema.optional()
//   server.history   → historySchema.optional()
//   server.ledger    → ledgerSchema.optional()
//   server.metrics   → metricsSchema.optional()
// Defaults are applied by resolveObserveOptions, not by zod, so "not set" stays visible (history bodies
// default on only when the server listens on loopback alone).
import { z } from "zod";

const usdPerMillion = z.number().nonnegative().finite();

/** USD per million tokens. Cache prices default to the input price when left out. */
export const priceSchema = z
  .object({
    inputPerMillion: usdPerMillion,
    outputPerMillion: usdPerMillion,
    cacheReadPerMillion: usdPerMillion.optional(),
    cacheWritePerMillion: usdPerMillion.optional(),
  })
  .strict();

export const historySchema = z
  .object({
    /** Keep each call's decoded request and response in memory for /_basalt/calls. */
    bodies: z.boolean().optional(),
    /** Calls kept in the in-memory ring (the oldest drop out). */
    max: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const ledgerSchema = z
  .object({
    /** Off: no database is opened; /_basalt/usage answers from nothing and /_basalt/calls from the history ring. */
    enabled: z.boolean().optional(),
    /** Calls older than this many days are deleted (hourly, and at start). 0 keeps everything. */
    retentionDays: z.number().nonnegative().optional(),
  })
  .strict();

export const metricsSchema = z
  .object({
    /** Off: GET /metrics answers 404 and no metric is kept. */
    enabled: z.boolean().optional(),
  })
  .strict();

export type PriceConfig = z.infer<typeof priceSchema>;
export type HistoryConfig = z.infer<typeof historySchema>;
export type LedgerConfig = z.infer<typeof ledgerSchema>;
export type MetricsConfig = z.infer<typeof metricsSchema>;

/** As storage/storage-config.ts defaults `server.dataDir`. */
export const DEFAULT_DATA_DIR = "./.basalt/";
export const DEFAULT_HISTORY_MAX = 1000;
export const DEFAULT_RETENTION_DAYS = 90;

/** The observability settings with defaults applied. */
export interface ObserveOptions {
  dataDir: string;
  history: { bodies: boolean; max: number };
  ledger: { enabled: boolean; retentionDays: number };
  metrics: { enabled: boolean };
}

export interface ObserveConfigInput {
  dataDir?: string;
  history?: HistoryConfig;
  ledger?: LedgerConfig;
  metrics?: MetricsConfig;
  /** The address the server listens on; decides whether history bodies default on. */
  host: string;
}

/** Loopback only: 127.0.0.0/8, ::1 and "localhost". 0.0.0.0 / :: expose the server, so bodies stay off. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

export function resolveObserveOptions(input: ObserveConfigInput): ObserveOptions {
  return {
    dataDir: input.dataDir ?? DEFAULT_DATA_DIR,
    history: {
      bodies: input.history?.bodies ?? isLoopbackHost(input.host),
      max: input.history?.max ?? DEFAULT_HISTORY_MAX,
    },
    ledger: {
      enabled: input.ledger?.enabled ?? true,
      retentionDays: input.ledger?.retentionDays ?? DEFAULT_RETENTION_DAYS,
    },
    metrics: { enabled: input.metrics?.enabled ?? true },
  };
}

/** The parts of basalt.yaml observability reads (structural, so observe/ does not import config/). */
export interface ObserveConfigView {
  server: { host?: string; dataDir?: string; history?: HistoryConfig; ledger?: LedgerConfig; metrics?: MetricsConfig };
  providers: Readonly<Record<string, { type: string }>>;
  models?: readonly { id: string; price?: PriceConfig }[];
}

/** Options, configured prices and provider types from the config. */
export function observeSettings(config: ObserveConfigView, defaultHost: string): {
  options: ObserveOptions;
  prices: [string, PriceConfig][];
  providerTypes: Map<string, string>;
} {
  const s = config.server;
  return {
    options: resolveObserveOptions({ ...s, host: s.host ?? defaultHost }),
    prices: (config.models ?? []).flatMap((m) => (m.price ? [[m.id, m.price] as [string, PriceConfig]] : [])),
    providerTypes: new Map([["echo", "echo"], ...Object.entries(config.providers).map(([name, p]) => [name, p.type] as [string, string])]),
  };
}
