// Builds the served models from the config (providers → models, each wrapped by the gateway policies in
// their one order) and resolves the modelId of a request — plain id, inference-profile id or ARN — to one.
import type { BasaltConfig, ModelConfig } from "../config/schema.js";
import { servedModelCandidates } from "../core/model-id.js";
import type { ModelCatalog, ModelInfo, ServedModel } from "../core/model-info.js";
import { wrapModel } from "../core/model-middleware.js";
import { createProvider, type Provider } from "../providers/index.js";
import { createEchoProvider } from "../providers/echo/index.js";
import { composePolicies, composeTargetPolicies, type PolicyDeps } from "./compose-policies.js";
import { buildRoutedModel } from "./policies/resilience/build-routed-model.js";

export const DEFAULT_MODELS: NonNullable<BasaltConfig["models"]> = [{ id: "basalt.echo", provider: "echo" }];

/** A `models:` entry as the core sees it. */
export function modelInfoOf(entry: ModelConfig): ModelInfo {
  return {
    id: entry.id,
    provider: entry.provider,
    ...(entry.model !== undefined && { model: entry.model }),
    ...(entry.family !== undefined && { family: entry.family }),
    ...(entry.limits !== undefined && { limits: entry.limits }),
  };
}

export class ModelRegistry implements ModelCatalog {
  private readonly byId = new Map<string, ServedModel>();
  private readonly providers: Provider[] = [];

  constructor(config: BasaltConfig, deps: PolicyDeps = { config }) {
    const providers = new Map<string, Provider>([["echo", createEchoProvider()]]);
    for (const [name, pc] of Object.entries(config.providers)) {
      const p = createProvider(name, pc);
      providers.set(name, p);
      this.providers.push(p);
    }
    for (const entry of config.models ?? DEFAULT_MODELS) {
      // A `targets` entry is served as a RoutedModel over its targets; its info names the primary target.
      const routing = entry.routing;
      const info = modelInfoOf(entry);
      const upstream = (target: ModelInfo) =>
        wrapModel(providers.get(target.provider)!.model(target), composeTargetPolicies(target, deps, routing));
      const inner = routing ? buildRoutedModel(info, routing, upstream) : upstream(info);
      this.byId.set(info.id, { model: wrapModel(inner, composePolicies(info, deps)), info });
    }
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Exact id first, then the resource part of an ARN, then without an inference-profile prefix. */
  resolve(modelId: string): ServedModel | undefined {
    for (const candidate of servedModelCandidates(modelId)) {
      const served = this.byId.get(candidate);
      if (served) return served;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.providers.map((p) => p.close?.()));
  }
}
