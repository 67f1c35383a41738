import type { BedrockProviderConfig } from "../../config/schema.js";
import type { Provider } from "../provider.js";

export function createBedrockProvider(name: string, _config: BedrockProviderConfig): Provider {
  throw new Error(`provider ${name}: the bedrock provider type is not implemented yet`);
}
