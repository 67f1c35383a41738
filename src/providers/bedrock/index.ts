// The `bedrock` provider: real Bedrock or any Bedrock-compatible endpoint, requests re-signed with the
// provider's own AWS credentials. One connection pool and signer per provider, shared by its models.
import type { BedrockProviderOptions } from "../../core/provider-options.js";
import type { Provider } from "../provider.js";
import { BedrockModel } from "./bedrock-model.js";
import { BedrockUpstream } from "./bedrock-upstream.js";

export function createBedrockProvider(name: string, config: BedrockProviderOptions): Provider {
  const upstream = new BedrockUpstream(name, config);
  return {
    name,
    type: "bedrock",
    model: (entry) => new BedrockModel(entry.id, entry.model ?? entry.id, upstream),
    close: () => upstream.close(),
  };
}
