// Basalt in front of one fake Chat Completions upstream, with the config shape the README documents, and
// the SDK clients pointed at it.
import { startOpenAIUpstream } from "../fakes/openai-upstream.js";
import type { RunningBasalt } from "../helpers/start-basalt.js";
import { startUpstreamStack, type Stack } from "../helpers/upstream-stack.js";

export { collectEvents, deferred, errorOf, plain, type SdkError } from "../helpers/sdk.js";
export type { Stack } from "../helpers/upstream-stack.js";

export const MODEL_ID = "meta.llama3-8b-instruct-v1:0";
export const UPSTREAM_MODEL = "llama3.1:8b";
export const API_KEY = "sk-basalt-test-secret-4f9c2a";

export interface StackOptions {
  timeoutMs?: number;
  extraProviders?: string;
  extraModels?: string;
}

export function startStack(opts: StackOptions & { spawn: true }): Promise<Stack<RunningBasalt>>;
export function startStack(opts?: StackOptions): Promise<Stack>;
export async function startStack(opts: StackOptions & { spawn?: boolean } = {}): Promise<Stack<RunningBasalt> | Stack> {
  const upstream = await startOpenAIUpstream();
  const timeout = opts.timeoutMs ? `, timeoutMs: ${opts.timeoutMs}` : "";
  const config = `
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: "\${BASALT_TEST_OPENAI_KEY}", headers: { OpenAI-Organization: org-basalt }${timeout} }
${opts.extraProviders ?? ""}
models:
  - { id: "${MODEL_ID}", provider: local, model: "${UPSTREAM_MODEL}" }
${opts.extraModels ?? ""}
`;
  const env = { BASALT_TEST_OPENAI_KEY: API_KEY };
  return opts.spawn ? startUpstreamStack(upstream, { config, env, spawn: true }) : startUpstreamStack(upstream, { config, env });
}
