// The `targets` form of a `models:` entry (issue 12): one served model built from several provider models,
// tried in order (`fallback`) or spread by weight (`balance`), each with retries, a circuit breaker and a
// per-attempt timeout. config/schema.ts embeds these; the one-target form (`provider`/`model`) is unchanged.
//
//   models:
//     - id: chat
//       targets:
//         - { provider: primary, model: llama3.1:8b, weight: 3 }
//         - { provider: secondary, model: gpt-4o-mini, weight: 1 }
//       strategy: fallback                                           # or balance
//       retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 8000 }   # per target
//       breaker: { failures: 5, cooldownMs: 30000 }                  # per target
//       timeoutMs: 60000                                             # per attempt
import { z } from "zod";

export const targetSchema = z
  .object({
    /** A provider name from `providers`, or the built-in `echo`. */
    provider: z.string().min(1),
    /** The upstream's own model name; defaults to the served model's `id`. */
    model: z.string().min(1).optional(),
    /** Share of calls under `strategy: balance` (relative to the other targets' weights). */
    weight: z.number().int().positive().max(1_000_000).default(1),
  })
  .strict();

export const retrySchema = z
  .object({
    /** Total tries per target: 1 = no retry. */
    attempts: z.number().int().min(1).max(20).default(3),
    /** First backoff cap; each further retry doubles it (full jitter: a random wait below the cap). */
    baseDelayMs: z.number().int().nonnegative().default(200),
    /** Largest wait; an upstream asking (Retry-After) for longer means: fall back instead. */
    maxDelayMs: z.number().int().nonnegative().default(8_000),
  })
  .strict()
  .refine((r) => r.baseDelayMs <= r.maxDelayMs, { message: "baseDelayMs must not exceed maxDelayMs" });

export const breakerSchema = z
  .object({
    /** Consecutive failed attempts that open the breaker. */
    failures: z.number().int().min(1).default(5),
    /** How long an open breaker skips its target before one probe call may try it again. */
    cooldownMs: z.number().int().positive().default(30_000),
  })
  .strict();

export const strategySchema = z.enum(["fallback", "balance"]);

// Typed as absent (not left out), so code reading `provider`/`model` of any entry still compiles.
const notWithTargets = z.never({ invalid_type_error: "not allowed with targets: give each target its provider and model" }).optional();

/** The keys a `targets` entry has instead of `provider`/`model`. */
export const routingShape = {
  provider: notWithTargets,
  model: notWithTargets,
  targets: z.array(targetSchema).min(1).max(16),
  strategy: strategySchema.default("fallback"),
  retry: retrySchema.default({}),
  breaker: breakerSchema.default({}),
  /** Per attempt: a unary answer, or a stream's first event, later than this is a timeout (then retry/fall back). */
  timeoutMs: z.number().int().positive().optional(),
};

export type TargetConfig = z.infer<typeof targetSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type BreakerConfig = z.infer<typeof breakerSchema>;
export type Strategy = z.infer<typeof strategySchema>;

/** What the routed model is built from (a parsed `targets` entry, without the per-model keys). */
export interface RoutingConfig {
  targets: TargetConfig[];
  strategy: Strategy;
  retry: RetryConfig;
  breaker: BreakerConfig;
  timeoutMs?: number;
}

/** The one-target form's output, as far as this file needs it. */
interface OneTarget {
  provider: string;
  model?: string;
}

/**
 * A `models:` entry: the `targets` form when the entry has a `targets` key, else the one-target form (picking
 * the schema by that key keeps error messages about the form the user wrote). A parsed `targets` entry takes
 * the one-target shape — its primary target as `provider`/`model`, so whatever reads `models:` (catalogue,
 * prices, quotas, cassettes) needs no second case — plus `routing`, which the registry builds the model from.
 */
export function eitherModelForm<Single extends z.AnyZodObject>(single: Single) {
  const routed = single.extend(routingShape).strict();
  type Entry = z.output<Single> & { routing?: RoutingConfig };
  return z.unknown().transform((value, ctx): Entry => {
    const routedForm = typeof value === "object" && value !== null && "targets" in value;
    const result = (routedForm ? routed : single).safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue(issue);
      return z.NEVER;
    }
    if (!routedForm) return result.data as Entry;
    const { targets, strategy, retry, breaker, timeoutMs, provider: _none, model: _noModel, ...rest } = result.data as RoutingConfig & OneTarget & Record<string, unknown>;
    const primary: OneTarget = { provider: targets[0].provider, ...(targets[0].model !== undefined && { model: targets[0].model }) };
    const routing: RoutingConfig = { targets, strategy, retry, breaker, ...(timeoutMs !== undefined && { timeoutMs }) };
    return { ...rest, ...primary, routing } as Entry;
  });
}
