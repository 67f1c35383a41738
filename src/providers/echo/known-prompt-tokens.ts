// The prompt's tokens before a stream starts, for the answers that report them in their first event (Claude's
// message_start): known only where no backend has to be asked (the built-in echo model's count is a pure
// function of the request; an upstream would be called twice) and where it cannot disagree with the final
// usage (no cache points, which split the count; no guardrail, which may block or mask the request).
import type { ModelInfo } from "../../core/model-info.js";
import type { ConverseInput } from "../../core/model.js";
import { echoPromptTokens } from "./echo-model.js";

// Counted with echo's own function, not through the served model: its policies would take the count for a
// second call (one more upstream attempt in the record, one more request against the quotas).
export function knownPromptTokens(info: ModelInfo, input: ConverseInput): number | undefined {
  // A guardrail may block the request (no tokens at all) or mask it (other tokens) before echo counts it.
  if (info.provider !== "echo" || input.guardrailConfig) return undefined;
  const cached = [...(input.system ?? []), ...(input.messages ?? []).flatMap((m) => m.content)].some((b) => "cachePoint" in b);
  return cached ? undefined : echoPromptTokens(input);
}
