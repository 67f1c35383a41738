// Basalt (in-process) serving InvokeModel families on two backends: echo (built in) and an OpenAI-compatible
// fake upstream (test/fakes/openai-upstream.ts). Clients: the AWS SDK over HTTP/2 and HTTP/1.1, and
// Anthropic's Bedrock SDK.
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import {
  InvokeModelCommand, InvokeModelWithResponseStreamCommand, type BedrockRuntimeClient,
  type InvokeModelCommandInput, type InvokeModelWithResponseStreamCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { startUpstreamStack, type Stack as UpstreamStack } from "../helpers/upstream-stack.js";
import { startOpenAIUpstream } from "../fakes/openai-upstream.js";

/** Echo-backed ids whose prefix names their family. */
export const CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const NOVA = "amazon.nova-lite-v1:0";
/** An echo-backed id whose family comes from the config. */
export const CONFIG_CLAUDE = "house-assistant";
/** Ids served by the OpenAI-compatible fake. */
export const OPENAI_CLAUDE = "anthropic.claude-sonnet-4-20250514-v1:0";
export const OPENAI_NOVA = "amazon.nova-pro-v1:0";
/** An id whose family nothing names. */
export const NO_FAMILY = "acme.mystery-v1";

export const ANTHROPIC_VERSION = "bedrock-2023-05-31";

export interface Stack extends UpstreamStack {
  anthropic: AnthropicBedrock;
}

export async function startStack(): Promise<Stack> {
  const upstream = await startOpenAIUpstream();
  const config = `
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: sk-test }
models:
  - { id: basalt.echo, provider: echo }
  - { id: "${CLAUDE}", provider: echo }
  - { id: "${NOVA}", provider: echo }
  - { id: "${CONFIG_CLAUDE}", provider: echo, family: anthropic }
  - { id: "${NO_FAMILY}", provider: echo }
  - { id: "${OPENAI_CLAUDE}", provider: local, model: gpt-4o-mini }
  - { id: "${OPENAI_NOVA}", provider: local, model: gpt-4o-mini }
# A guardrail without policies: requests that name it pass, as requests naming a real guardrail do.
guardrails:
  - { id: abc123xyz, name: invoke-wire-guardrail, blockedInputMessaging: blocked, blockedOutputsMessaging: blocked }
`;
  const stack = await startUpstreamStack(upstream, { config });
  const anthropic = new AnthropicBedrock({
    baseURL: stack.basalt.url, awsRegion: "us-east-1", awsAccessKey: "AKIDBASALTTEST", awsSecretKey: "basalt-test-secret", maxRetries: 0,
  });
  return { ...stack, anthropic };
}

/** Records the raw HTTP response headers of every call the client makes (the last one is `.last`). */
export function captureHeaders(client: BedrockRuntimeClient): { last: Record<string, string> } {
  const box = { last: {} as Record<string, string> };
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      box.last = (out.response as { headers: Record<string, string> }).headers;
      return out;
    },
    { step: "deserialize", name: "captureHeaders" },
  );
  return box;
}

export type Json = Record<string, unknown>;

export async function invoke(client: BedrockRuntimeClient, modelId: string, body: unknown, extra: Partial<InvokeModelCommandInput> = {}): Promise<Json> {
  const res = await client.send(new InvokeModelCommand({
    modelId, contentType: "application/json", accept: "application/json", body: JSON.stringify(body), ...extra,
  }));
  return JSON.parse(new TextDecoder().decode(res.body)) as Json;
}

/** Every chunk of a stream, decoded from `chunk.bytes` as JSON. */
export async function invokeStream(
  client: BedrockRuntimeClient, modelId: string, body: unknown, extra: Partial<InvokeModelWithResponseStreamCommandInput> = {},
): Promise<Json[]> {
  const res = await client.send(new InvokeModelWithResponseStreamCommand({
    modelId, contentType: "application/json", accept: "application/json", body: JSON.stringify(body), ...extra,
  }));
  const chunks: Json[] = [];
  for await (const event of res.body ?? []) {
    if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)) as Json);
  }
  return chunks;
}

/** Splits off the last chunk's invocation metrics, checking that they are well-formed. */
export function withoutMetrics(chunks: Json[]): { chunks: Json[]; metrics: Json } {
  const last = chunks[chunks.length - 1];
  const { "amazon-bedrock-invocationMetrics": metrics, ...rest } = last;
  for (const c of chunks.slice(0, -1)) {
    if ("amazon-bedrock-invocationMetrics" in c) throw new Error("invocation metrics on a chunk that is not the last");
  }
  return { chunks: [...chunks.slice(0, -1), rest], metrics: metrics as Json };
}

export async function rejection(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
}
