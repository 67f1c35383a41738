import type { Provider } from "../provider.js";
import { EchoModel } from "./echo-model.js";

export { echoPromptTokens } from "./echo-model.js";
export { knownPromptTokens } from "./known-prompt-tokens.js";

export function createEchoProvider(name = "echo"): Provider {
  return { name, type: "echo", model: (entry) => new EchoModel(entry.id) };
}
