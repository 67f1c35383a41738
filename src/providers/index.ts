// Provider types by name. Adding a backend is adding a folder and a line here.
import type { ProviderOptions } from "../core/provider-options.js";
import { createAnthropicProvider } from "./anthropic/index.js";
import { createBedrockProvider } from "./bedrock/index.js";
import { createEchoProvider } from "./echo/index.js";
import { createOpenAIProvider } from "./openai/index.js";
import type { Provider } from "./provider.js";

export function createProvider(name: string, config: ProviderOptions): Provider {
  switch (config.type) {
    case "echo": return createEchoProvider(name);
    case "openai": return createOpenAIProvider(name, config);
    case "anthropic": return createAnthropicProvider(name, config);
    case "bedrock": return createBedrockProvider(name, config);
  }
}

export type { Provider };
