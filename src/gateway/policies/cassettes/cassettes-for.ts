// Which cassettes (if any) a served model records to or replays from: its own `cassettes:` entry, else its
// provider's. The provider's configured secrets (API key, header values) are handed to the scrubber.
import type { BasaltConfig } from "../../../config/schema.js";
import type { ModelInfo } from "../../../core/model-info.js";
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import { cassettesPolicy } from "./cassettes-policy.js";

export function cassettesFor(info: ModelInfo, config: BasaltConfig): ModelMiddleware | undefined {
  const provider = config.providers[info.provider];
  const entry = config.models?.find((m) => m.id === info.id);
  const cassettes = entry?.cassettes ?? provider?.cassettes;
  if (!cassettes) return undefined;
  const secrets: string[] = [];
  if (provider && "apiKey" in provider && provider.apiKey) secrets.push(provider.apiKey);
  if (provider && "headers" in provider && provider.headers) secrets.push(...Object.values(provider.headers));
  return cassettesPolicy({ config: cassettes, secrets });
}
