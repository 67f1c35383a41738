// The one order in which gateway policies wrap every served model. Each policy is one file in gateway/ and
// one line below; the first listed is the outermost (sees the call first). The order, and why:
//
//   1. access      — the caller may use this model at all (auth is done by then)     admission-only
//   2. quotas      — requests/tokens per minute per caller                           admission-only
//   3. scripts     — test-double scripts answer before any backend is touched
//   4. cache       — a stored answer skips everything below
//   5. guardrails  — screen the request and the answer (a model relayed to a Bedrock upstream keeps its
//                    byte-for-byte relay: the upstream applies its own guardrails)
//   6. fallback → retry → circuit breaker — around each upstream try (a `targets` model only: one
//      RoutedModel over its targets, gateway/policies/resilience/routed-model.ts)
//   — per target, i.e. around each try (composeTargetPolicies) —
//   7. cassettes   — record / replay what the provider answered (test doubles)
//   8. attempts    — each upstream try (and a relayed answer's tokens) into the call record  changes nothing
//   9. attempt timeout — a `targets` model's `timeoutMs`, per try
//  10. the provider's model
//
// A one-target model gets 1–5 then 7–10 around its provider's model; a `targets` model gets 1–5 around its
// RoutedModel, whose every target gets 7–10.
//
// Admission-only policies (see core/model-middleware.ts) leave a pass-through model's relay in place; any
// other policy drops it, so relayed calls go through converse() and the policy sees them — unless it handles
// relayed calls itself (scripts, cassettes).
import type { ModelMiddleware } from "../core/model-middleware.js";
import type { ModelInfo } from "../core/model-info.js";
import type { BasaltConfig } from "../config/schema.js";
import type { KeyValueStore } from "../storage/index.js";
import { log } from "../log.js";
import { cassettesFor } from "./policies/cassettes/cassettes-for.js";
import { responseCachePolicy } from "./policies/cache/response-cache.js";
import { attemptTimeout } from "./policies/resilience/attempt-timeout.js";
import type { RoutingConfig } from "../config/routing-config.js";
import { scriptsPolicy } from "./policies/scripts/scripts-policy.js";
import type { ScriptStore } from "./policies/scripts/script-store.js";
import { modelAccessPolicy } from "./policies/model-access.js";
import { guardrailsPolicy } from "./policies/guardrails/guardrails-policy.js";
import type { GuardrailService } from "../guardrails/guardrail-service.js";
import { quotaPolicy, quotasApply } from "./policies/quotas.js";
import { recordAttempts } from "./policies/record-attempts.js";

/** What policies are built from: the config and, as later issues add them, stores and clocks. */
export interface PolicyDeps {
  readonly config: BasaltConfig;
  /** Guardrails for Converse/ConverseStream `guardrailConfig` and InvokeModel's guardrail headers. */
  readonly guardrails?: GuardrailService;
  /** Where quota counters live (memory, or Redis shared by every node); no quotas without it. */
  readonly counters?: KeyValueStore;
  /** The counter store failed in a way it did not absorb; the call went through uncounted. */
  readonly onCounterError?: (err: unknown) => void;
  /** Test-double scripts: one store per server, shared with /_basalt/scripts. */
  readonly scripts?: ScriptStore;
  /** The key-value store (memory, or Redis shared by every node): response cache entries. Without it: no cache. */
  readonly kv?: KeyValueStore;
}

/** The policies that wrap one served model, outermost first. */
export function composePolicies(info: ModelInfo, deps: PolicyDeps): ModelMiddleware[] {
  const policies: ModelMiddleware[] = [];
  if (deps.config.auth?.keys.some((k) => k.models)) policies.push(modelAccessPolicy(info));
  const modelConfig = deps.config.models?.find((m) => m.id === info.id);
  const limits = modelConfig?.limits;
  if (deps.counters && quotasApply(deps.config.auth, limits)) policies.push(quotaPolicy({ store: deps.counters, modelLimits: limits, onStoreError: deps.onCounterError }));
  if (deps.scripts) policies.push(scriptsPolicy(deps.scripts));
  const cache = deps.config.cache;
  if (cache && deps.kv) policies.push(responseCachePolicy({ store: deps.kv, ttlSeconds: cache.ttlSeconds, onStoreError: cacheStoreError }));
  if (deps.guardrails) policies.push(guardrailsPolicy(deps.guardrails, modelConfig?.guardrailConfig));
  return policies;
}

/** The policies around one upstream target — each try passes through them — outermost first. */
export function composeTargetPolicies(target: ModelInfo, deps: PolicyDeps, routing?: RoutingConfig): ModelMiddleware[] {
  const policies: ModelMiddleware[] = [];
  const cassettes = cassettesFor(target, deps.config);
  if (cassettes) policies.push(cassettes);
  // One attempt per upstream try in the call record; a script, a cache hit or a replay makes none.
  policies.push(recordAttempts(target));
  if (routing?.timeoutMs !== undefined) policies.push(attemptTimeout(routing.timeoutMs));
  return policies;
}

function cacheStoreError(err: unknown): void {
  log.warn({ err: (err as Error).message }, "response cache store failed; the call went on uncached");
}
