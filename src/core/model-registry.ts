// Resolves the modelId of a request (plain id, inference-profile id, or ARN) to a served Model.
import type { BasaltConfig, ModelConfig } from "../config/schema.js";
import { createProvider, type Provider } from "../providers/index.js";
import { createEchoProvider } from "../providers/echo/index.js";
import type { Model } from "./model.js";

export const DEFAULT_MODELS: ModelConfig[] = [{ id: "basalt.echo", provider: "echo" }];

// Geographic prefixes of cross-region inference profiles: `us.anthropic.claude…` → `anthropic.claude…`.
const PROFILE_PREFIX = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;

export interface ServedModel { model: Model; entry: ModelConfig }

export class ModelRegistry {
  private readonly byId = new Map<string, ServedModel>();
  private readonly providers: Provider[] = [];

  constructor(config: BasaltConfig) {
    const providers = new Map<string, Provider>([["echo", createEchoProvider()]]);
    for (const [name, pc] of Object.entries(config.providers)) {
      const p = createProvider(name, pc);
      providers.set(name, p);
      this.providers.push(p);
    }
    for (const entry of config.models ?? DEFAULT_MODELS) {
      this.byId.set(entry.id, { model: providers.get(entry.provider)!.model(entry), entry });
    }
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Exact id first, then the resource part of an ARN, then without an inference-profile prefix. */
  resolve(modelId: string): ServedModel | undefined {
    const exact = this.byId.get(modelId);
    if (exact) return exact;
    const tail = modelId.startsWith("arn:") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
    return this.byId.get(tail) ?? this.byId.get(tail.replace(PROFILE_PREFIX, ""));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.providers.map((p) => p.close?.()));
  }
}
