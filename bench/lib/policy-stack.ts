// The configurations the round-2 scenarios compare, and the request bodies and auth headers each needs.
// "Bare": no auth, no quotas, no cache, no guardrail, ledger and metrics off — Basalt doing nothing but
// translate. "Full": every policy on the hot path at once — a verified key (SigV4 or a Bedrock API key),
// requests- and tokens-per-minute quotas on the key and on the model (high enough never to refuse), the
// response cache (every request a miss: each body differs), a guardrail with a word policy and a PII policy
// on every call (streams in its async mode), and the ledger (SQLite) + metrics on.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ACCESS_KEY_ID = "AKIDBENCHFULL0001";
export const SECRET_ACCESS_KEY = "bench-full-stack-secret-access-key";
export const API_KEY = "bench-full-stack-bedrock-api-key-0001";
export const GUARDRAIL_ID = "benchguard";
export const REGION = "us-east-1";

export type Stack = "bare" | "full";

/** Quotas far above anything a bench run sends: admission and charging run, refusal never does. */
const LIMITS = "{ requestsPerMinute: 100000000, tokensPerMinute: 2000000000 }";

/**
 * basalt.yaml for one stack. `model` is the served id; with `upstreamBaseUrl` it goes to an OpenAI-compatible
 * upstream, else to the built-in echo provider.
 */
export function stackConfig(stack: Stack, model: string, upstreamBaseUrl?: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), `basalt-bench-${stack}-`));
  const provider = upstreamBaseUrl ? "up" : "echo";
  const lines = [
    stack === "bare"
      ? `server: { dataDir: "${dataDir}", ledger: { enabled: false }, metrics: { enabled: false } }`
      : `server: { dataDir: "${dataDir}" }`,
  ];
  if (upstreamBaseUrl) lines.push(`providers:`, `  up: { type: openai, baseUrl: "${upstreamBaseUrl}" }`);
  lines.push(`models:`, `  - id: ${model}`, `    provider: ${provider}`);
  if (upstreamBaseUrl) lines.push(`    model: bench-model`);
  if (stack === "full") {
    lines.push(
      `    limits: ${LIMITS}`,
      `auth:`,
      `  keys:`,
      `    - { name: bench, accessKeyId: ${ACCESS_KEY_ID}, secretAccessKey: ${SECRET_ACCESS_KEY}, apiKey: ${API_KEY}, limits: ${LIMITS} }`,
      `cache: { ttlSeconds: 300, maxEntries: 10000 }`,
      `guardrails:`,
      `  - id: ${GUARDRAIL_ID}`,
      `    name: bench-guardrail`,
      `    blockedInputMessaging: "Blocked by the bench guardrail."`,
      `    blockedOutputsMessaging: "Blocked by the bench guardrail."`,
      `    wordPolicyConfig: { wordsConfig: [{ text: "basilisk" }, { text: "forbidden phrase" }] }`,
      `    sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: EMAIL, action: ANONYMIZE }, { type: PHONE, action: ANONYMIZE }] }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The guardrailConfig member a full-stack request carries (streams: async mode). */
export function guardrailConfig(stream: boolean): Record<string, string> {
  return { guardrailIdentifier: GUARDRAIL_ID, guardrailVersion: "DRAFT", ...(stream ? { streamProcessingMode: "async" } : {}) };
}

/** A Converse body; `unique` makes the text differ per request (a cache miss), `stack` adds the guardrail. */
export function converseBodyFor(stack: Stack, text: string, stream: boolean, unique?: number): string {
  return JSON.stringify({
    messages: [{ role: "user", content: [{ text: unique === undefined ? text : `${text} (request ${unique})` }] }],
    inferenceConfig: { maxTokens: 512, temperature: 0.5 },
    ...(stack === "full" ? { guardrailConfig: guardrailConfig(stream) } : {}),
  });
}
