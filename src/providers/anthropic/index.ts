// The `anthropic` provider type: Anthropic's Messages API (api.anthropic.com or a compatible server).
import type { AnthropicProviderOptions } from "../../core/provider-options.js";
import type { Provider } from "../provider.js";
import { AnthropicClient } from "./anthropic-client.js";
import { AnthropicModel } from "./anthropic-model.js";

export function createAnthropicProvider(name: string, config: AnthropicProviderOptions): Provider {
  const client = new AnthropicClient(name, config);
  return {
    name,
    type: "anthropic",
    model: (entry) => new AnthropicModel({ id: entry.id, upstreamModel: entry.model ?? entry.id, client }),
    close: () => client.close(),
  };
}
