// Chat Completions usage ↔ Bedrock TokenUsage. Bedrock (as for Claude) counts cache reads apart from
// inputTokens, while OpenAI's prompt_tokens includes them: inputTokens = prompt − cached.
import type { TokenUsage } from "../../core/shapes.generated.js";
import type { ChatUsage, OpenAIUsage } from "./types.js";

/** `estimate` supplies counts the upstream left out (some servers send no usage in streams). */
export function chatUsageToConverse(usage: OpenAIUsage | null | undefined, estimate: () => { input: number; output: number }): TokenUsage {
  let prompt = usage?.prompt_tokens;
  let completion = usage?.completion_tokens;
  if (typeof prompt !== "number" || typeof completion !== "number") {
    const e = estimate();
    if (typeof prompt !== "number") prompt = e.input;
    if (typeof completion !== "number") completion = e.output;
  }
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  const out: TokenUsage = { inputTokens: prompt, outputTokens: completion, totalTokens: prompt + completion };
  if (typeof cached === "number" && cached > 0) {
    out.inputTokens = Math.max(0, prompt - cached);
    out.cacheReadInputTokens = cached;
  }
  return out;
}

/**
 * The other way: prompt_tokens counts every input token, cache reads and writes included (Bedrock counts them
 * apart), and prompt_tokens_details.cached_tokens says how many were read from the cache. Agents measure their
 * context from prompt_tokens.
 */
export function chatUsageFromConverse(u: Pick<TokenUsage, "inputTokens" | "outputTokens" | "cacheReadInputTokens" | "cacheWriteInputTokens">): ChatUsage {
  const cached = u.cacheReadInputTokens ?? 0;
  const prompt = u.inputTokens + cached + (u.cacheWriteInputTokens ?? 0);
  const usage: ChatUsage = { prompt_tokens: prompt, completion_tokens: u.outputTokens, total_tokens: prompt + u.outputTokens };
  if (cached > 0) usage.prompt_tokens_details = { cached_tokens: cached };
  return usage;
}
