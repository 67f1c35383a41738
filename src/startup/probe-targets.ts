// Where /_basalt/ready checks each configured provider (api/admin/provider-probe.ts): the address its calls
// go to, with a path any server of that kind answers. Never with credentials.
import type { BasaltConfig, ProviderConfig } from "../config/schema.js";
import type { ProbeTarget } from "../api/admin/provider-probe.js";

function probeUrl(provider: ProviderConfig): string | undefined {
  switch (provider.type) {
    case "openai":
      // The models list: answered by OpenAI (401 without a key), Ollama, vLLM, llama.cpp and LM Studio alike.
      return `${provider.baseUrl.replace(/\/+$/, "")}/models`;
    case "anthropic":
      return provider.baseUrl;
    case "bedrock":
      return provider.endpoint ?? `https://bedrock-runtime.${provider.region}.amazonaws.com/`;
    default:
      return undefined;
  }
}

export function probeTargets(config: BasaltConfig): ProbeTarget[] {
  const targets: ProbeTarget[] = [{ name: "echo", type: "echo", note: "built in" }];
  for (const [name, provider] of Object.entries(config.providers)) {
    if (name === "echo") continue;
    if (provider.cassettes?.mode === "replay") {
      targets.push({ name, type: provider.type, note: "answers from cassettes; not checked" });
      continue;
    }
    const url = probeUrl(provider);
    targets.push({ name, type: provider.type, url, note: url ? undefined : "built in" });
  }
  return targets;
}
