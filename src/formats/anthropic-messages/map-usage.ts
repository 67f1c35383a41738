// Messages API usage ↔ Bedrock TokenUsage. Anthropic's input_tokens already leaves cached tokens out,
// which is how Bedrock reports Claude too: cache reads and writes are separate counts, and
// totalTokens adds everything up.
import type { CacheDetail, TokenUsage } from "../../core/shapes.generated.js";
import type { AnthropicUsage, AnthropicUsageOut } from "./types.js";

export function anthropicUsageToConverse(usage: AnthropicUsage | undefined): TokenUsage {
  const input = count(usage?.input_tokens);
  const output = count(usage?.output_tokens);
  const read = count(usage?.cache_read_input_tokens);
  const write = count(usage?.cache_creation_input_tokens);
  const out: TokenUsage = { inputTokens: input, outputTokens: output, totalTokens: input + output + read + write };
  if (read > 0 || write > 0) {
    out.cacheReadInputTokens = read;
    out.cacheWriteInputTokens = write;
  }
  // Bedrock lists cache writes per TTL, 1h before 5m, only when something was written.
  const byTtl = usage?.cache_creation;
  if (write > 0 && byTtl) {
    const details: CacheDetail[] = [];
    if (count(byTtl.ephemeral_1h_input_tokens) > 0) details.push({ ttl: "1h", inputTokens: count(byTtl.ephemeral_1h_input_tokens) });
    if (count(byTtl.ephemeral_5m_input_tokens) > 0) details.push({ ttl: "5m", inputTokens: count(byTtl.ephemeral_5m_input_tokens) });
    if (details.length > 0) out.cacheDetails = details;
  }
  return out;
}

/** Stream usage arrives in two parts (message_start, then message_delta); later numbers win. */
export function mergeAnthropicUsage(base: AnthropicUsage | undefined, update: AnthropicUsage | undefined): AnthropicUsage | undefined {
  if (!update) return base;
  const merged: AnthropicUsage = { ...base };
  for (const [k, v] of Object.entries(update) as [keyof AnthropicUsage, AnthropicUsage[keyof AnthropicUsage]][]) {
    if (v !== null && v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

/** The usage object Basalt writes, every count present. */
export function anthropicUsageFromConverse(u: TokenUsage | undefined): AnthropicUsageOut {
  return {
    input_tokens: u?.inputTokens ?? 0,
    cache_creation_input_tokens: u?.cacheWriteInputTokens ?? 0,
    cache_read_input_tokens: u?.cacheReadInputTokens ?? 0,
    output_tokens: u?.outputTokens ?? 0,
  };
}

function count(n: number | null | undefined): number {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
