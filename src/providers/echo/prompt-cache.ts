// Echo's prompt cache (README, "The basalt.echo model"): deterministic prompt-cache usage for requests with
// cachePoints, kept per echo model in this process.
//
// The prompt is read in Bedrock's order — system blocks, then the messages' blocks — and each cachePoint
// closes a prefix: everything before it. A prefix already written and not expired (its `ttl`, 5m by default
// or 1h) is read: `cacheReadInputTokens` = the tokens of the longest such prefix. Every later cache point
// writes its part of the prompt: `cacheWriteInputTokens` = the tokens between the read prefix and the last
// cache point, `cacheDetails` = those writes by TTL. `inputTokens` keeps only the tokens after the last
// cache point; `totalTokens` adds all four. A read refreshes the prefix's expiry, as a cache hit does.
import { createHash } from "node:crypto";
import type { CacheDetail, CacheTTL, TokenUsage } from "../../core/shapes.generated.js";
import type { ConverseInput } from "../../core/model.js";
import { countTokens } from "../../core/text-tokens.js";
import { LruMap } from "../../storage/lru-map.js";
import { renderBlock, renderSystemBlock } from "./render-content.js";

const TTL_MS: Record<CacheTTL, number> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };

interface CachePoint { key: string; tokens: number; ttl: CacheTTL }

/** The cache points of a request: each with the hash of its prefix and the echo tokens before it. */
function cachePoints(input: Pick<ConverseInput, "system" | "messages">): CachePoint[] {
  const points: CachePoint[] = [];
  const hash = createHash("sha256");
  let tokens = 0;
  const close = (ttl: CacheTTL | undefined) => points.push({ key: hash.copy().digest("base64url"), tokens, ttl: ttl ?? "5m" });
  for (const block of input.system ?? []) {
    if ("cachePoint" in block) close(block.cachePoint.ttl);
    else {
      hash.update(JSON.stringify(["system", block]));
      const text = renderSystemBlock(block);
      if (text !== undefined) tokens += countTokens(text);
    }
  }
  for (const message of input.messages ?? []) {
    for (const block of message.content) {
      if ("cachePoint" in block) close(block.cachePoint.ttl);
      else {
        hash.update(JSON.stringify([message.role, block]));
        const text = renderBlock(block);
        if (text !== undefined) tokens += countTokens(text);
      }
    }
  }
  return points;
}

function hasCachePoint(input: Pick<ConverseInput, "system" | "messages">): boolean {
  return (input.system ?? []).some((b) => "cachePoint" in b) || (input.messages ?? []).some((m) => m.content.some((b) => "cachePoint" in b));
}

export class PromptCache {
  // Expiry time (ms) by prefix hash; bounded so a long-running server cannot grow without limit.
  readonly #expiries = new LruMap<string, number>(10_000);

  constructor(private readonly now: () => number = Date.now) {}

  /** Usage for a request of `inputTokens` echo tokens; writes and refreshes this request's prefixes. */
  usage(input: Pick<ConverseInput, "system" | "messages">, inputTokens: number, outputTokens: number): TokenUsage {
    // Most requests have no cache point: they are answered without hashing the prompt.
    if (!hasCachePoint(input)) return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
    const points = cachePoints(input);
    const now = this.now();
    let read: CachePoint | undefined;
    let readAt = -1;
    points.forEach((p, i) => {
      const expiry = this.#expiries.get(p.key);
      if (expiry !== undefined && expiry > now) {
        read = p;
        readAt = i;
      }
    });
    if (read) this.#expiries.set(read.key, now + TTL_MS[read.ttl]);
    const readTokens = read?.tokens ?? 0;
    const written = new Map<CacheTTL, number>();
    let before = readTokens;
    for (const p of points.slice(readAt + 1)) {
      const part = Math.max(0, p.tokens - before);
      written.set(p.ttl, (written.get(p.ttl) ?? 0) + part);
      this.#expiries.set(p.key, now + TTL_MS[p.ttl]);
      before = Math.max(before, p.tokens);
    }
    const writeTokens = [...written.values()].reduce((a, b) => a + b, 0);
    const uncached = Math.max(0, inputTokens - readTokens - writeTokens);
    const usage: TokenUsage = {
      inputTokens: uncached,
      outputTokens,
      totalTokens: uncached + outputTokens + readTokens + writeTokens,
      cacheReadInputTokens: readTokens,
      cacheWriteInputTokens: writeTokens,
    };
    const details: CacheDetail[] = [...written].filter(([, n]) => n > 0).map(([ttl, n]) => ({ ttl, inputTokens: n }));
    if (details.length > 0) usage.cacheDetails = details;
    return usage;
  }
}
