import type { OpenAIProviderConfig } from "../../config/schema.js";
import type { Provider } from "../provider.js";

export function createOpenAIProvider(name: string, _config: OpenAIProviderConfig): Provider {
  throw new Error(`provider ${name}: the openai provider type is not implemented yet`);
}
