// Basalt (in-process) serving the Llama, Titan, Mistral, Cohere and OpenAI-style families on two backends:
// echo (exact replies) and an OpenAI-compatible fake upstream (test/fakes/openai-upstream.ts).
import { CountTokensCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { startUpstreamStack, type Stack } from "../helpers/upstream-stack.js";
import { startOpenAIUpstream } from "../fakes/openai-upstream.js";

export { invoke, invokeStream, rejection, withoutMetrics, type Json } from "../invoke/harness.js";

/** Echo-backed ids, one per family, named as on Bedrock. */
export const ECHO = {
  llama: "meta.llama3-8b-instruct-v1:0",
  titan: "amazon.titan-text-express-v1",
  mistral: "mistral.mistral-7b-instruct-v0:2",
  mistralChat: "mistral.mistral-large-2407-v1:0",
  cohere: "cohere.command-r-v1:0",
  openai: "openai.gpt-oss-20b-1:0",
} as const;

/** The same families served by the OpenAI-compatible fake upstream. */
export const UPSTREAM = {
  llama: "us.meta.llama3-1-70b-instruct-v1:0",
  titan: "amazon.titan-text-premier-v1:0",
  mistral: "mistral.mixtral-8x7b-instruct-v0:1",
  cohere: "cohere.command-r-plus-v1:0",
  openai: "openai.gpt-oss-120b-1:0",
} as const;

export type FamilyStack = Stack;

export async function startFamilyStack(): Promise<FamilyStack> {
  const upstream = await startOpenAIUpstream();
  const config = `
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: sk-test }
models:
${Object.values(ECHO).map((id) => `  - { id: "${id}", provider: echo }`).join("\n")}
${Object.values(UPSTREAM).map((id) => `  - { id: "${id}", provider: local, model: gpt-4o-mini }`).join("\n")}
`;
  return startUpstreamStack(upstream, { config });
}

/** CountTokens with `input.invokeModel.body`. */
export async function countTokens(client: BedrockRuntimeClient, modelId: string, body: unknown): Promise<number | undefined> {
  const out = await client.send(new CountTokensCommand({
    modelId, input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(body)) } },
  }));
  return out.inputTokens;
}

/** Bedrock's schema-error message for a list of validator errors. */
export const malformed = (...errors: string[]) =>
  `Malformed input request: ${errors.join("")}, please reformat your input and try again.`;

/** A tiny PNG header: enough for the format to be detected and the size to be rendered by echo. */
export const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString("base64");
