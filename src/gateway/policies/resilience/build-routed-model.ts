// From a `targets` entry of the config to its RoutedModel: each target becomes a provider model (built by the
// registry, wrapped in the per-try policies), with its own circuit breaker whose changes are logged.
import type { ModelInfo } from "../../../core/model-info.js";
import type { Model } from "../../../core/model.js";
import { log } from "../../../log.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { RoutedModel, type RoutedTarget } from "./routed-model.js";
import type { RoutingConfig, TargetConfig } from "../../../config/routing-config.js";

/** What one target is to the rest of Basalt: the served model's info with the target's provider and model. */
export function targetInfo(served: ModelInfo, target: TargetConfig): ModelInfo {
  const { model: _primaryModel, ...rest } = served;
  return { ...rest, provider: target.provider, ...(target.model !== undefined && { model: target.model }) };
}

/** `providerModel` builds a target's model (wrapped in the per-try policies) from its ModelInfo. */
export function buildRoutedModel(served: ModelInfo, routing: RoutingConfig, providerModel: (target: ModelInfo) => Model): RoutedModel {
  const targets = routing.targets.map((config): RoutedTarget => {
    const info = targetInfo(served, config);
    const upstreamModel = info.model ?? info.id;
    const breaker = new CircuitBreaker({
      ...routing.breaker,
      onStateChange: (state) => {
        const fields = { model: served.id, provider: info.provider, upstreamModel, state };
        if (state === "open") log.warn(fields, `circuit breaker opened: ${info.provider}/${upstreamModel} is skipped for ${routing.breaker.cooldownMs} ms`);
        else log.info(fields, `circuit breaker ${state}: ${info.provider}/${upstreamModel}`);
      },
    });
    return {
      provider: info.provider,
      upstreamModel,
      model: providerModel(info),
      weight: config.weight,
      breaker,
      get available() {
        return breaker.available;
      },
    };
  });
  return new RoutedModel({ id: served.id, targets, strategy: routing.strategy, retry: routing.retry });
}
