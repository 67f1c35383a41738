import type { AnthropicProviderConfig } from "../../config/schema.js";
import type { Provider } from "../provider.js";

export function createAnthropicProvider(name: string, _config: AnthropicProviderConfig): Provider {
  throw new Error(`provider ${name}: the anthropic provider type is not implemented yet`);
}
