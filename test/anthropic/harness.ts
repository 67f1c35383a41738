// Basalt in front of one fake Anthropic Messages API, with the config shape the README documents, and the
// SDK clients pointed at it.
import { startAnthropicUpstream } from "../fakes/anthropic-upstream.js";
import { stackStarter } from "../helpers/upstream-stack.js";

export { collectEvents, deferred, errorOf, plain, type SdkError } from "../helpers/sdk.js";
export type { Stack } from "../helpers/upstream-stack.js";

export const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const UPSTREAM_MODEL = "claude-3-5-haiku-20241022";
export const API_KEY = "sk-ant-api03-basalt-test-7Qx2";

export const startStack = stackStarter(startAnthropicUpstream, (baseUrl) => `
providers:
  claude: { type: anthropic, baseUrl: "${baseUrl}", apiKey: "\${ANTHROPIC_API_KEY}" }
models:
  - { id: "${MODEL_ID}", provider: claude, model: "${UPSTREAM_MODEL}" }
`, { ANTHROPIC_API_KEY: API_KEY });

/** Events with metadata.metrics.latencyMs (which varies) replaced by a marker. */
export function stable(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.map((e) => {
    const m = e.metadata as { metrics?: { latencyMs?: unknown } } | undefined;
    if (!m?.metrics) return e;
    if (typeof m.metrics.latencyMs !== "number") throw new Error("metadata.metrics.latencyMs is not a number");
    return { metadata: { ...m, metrics: { latencyMs: "n" } } };
  });
}

export const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString("base64");
