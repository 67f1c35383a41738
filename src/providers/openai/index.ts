// The `openai` provider type: any Chat Completions-compatible server.
import type { OpenAIProviderOptions } from "../../core/provider-options.js";
import type { Provider } from "../provider.js";
import { OpenAIClient } from "./openai-client.js";
import { OpenAIModel } from "./openai-model.js";

export function createOpenAIProvider(name: string, config: OpenAIProviderOptions): Provider {
  const client = new OpenAIClient(name, config);
  return {
    name,
    type: "openai",
    model: (entry) => new OpenAIModel({ id: entry.id, upstreamModel: entry.model ?? entry.id, client }),
    close: () => client.close(),
  };
}
