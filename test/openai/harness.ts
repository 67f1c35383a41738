// Basalt in front of one fake Chat Completions upstream, with the config shape the README documents, and
// the SDK clients pointed at it.
import { startOpenAIUpstream } from "../fakes/openai-upstream.js";
import { stackStarter } from "../helpers/upstream-stack.js";

export { collectEvents, deferred, errorOf, plain, type SdkError } from "../helpers/sdk.js";
export type { Stack } from "../helpers/upstream-stack.js";

export const MODEL_ID = "meta.llama3-8b-instruct-v1:0";
export const UPSTREAM_MODEL = "llama3.1:8b";
export const API_KEY = "sk-basalt-test-secret-4f9c2a";

export const startStack = stackStarter(startOpenAIUpstream, (baseUrl) => `
providers:
  local: { type: openai, baseUrl: "${baseUrl}", apiKey: "\${BASALT_TEST_OPENAI_KEY}", headers: { OpenAI-Organization: org-basalt } }
models:
  - { id: "${MODEL_ID}", provider: local, model: "${UPSTREAM_MODEL}" }
`, { BASALT_TEST_OPENAI_KEY: API_KEY });
