// One Basalt process in front of one fake Chat Completions upstream, with the config shape the README
// documents, and the SDK clients pointed at it.
import type { BedrockRuntimeClient, ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { startOpenAIUpstream, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";

export const MODEL_ID = "meta.llama3-8b-instruct-v1:0";
export const UPSTREAM_MODEL = "llama3.1:8b";
export const API_KEY = "sk-basalt-test-secret-4f9c2a";

export interface Stack {
  upstream: FakeOpenAIUpstream;
  basalt: RunningBasalt;
  client: BedrockRuntimeClient;
  h1: BedrockRuntimeClient;
  close(): Promise<void>;
}

export async function startStack(opts: { timeoutMs?: number; extraProviders?: string; extraModels?: string } = {}): Promise<Stack> {
  const upstream = await startOpenAIUpstream();
  const timeout = opts.timeoutMs ? `, timeoutMs: ${opts.timeoutMs}` : "";
  const config = writeConfig(`
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: "\${BASALT_TEST_OPENAI_KEY}", headers: { OpenAI-Organization: org-basalt }${timeout} }
${opts.extraProviders ?? ""}
models:
  - { id: "${MODEL_ID}", provider: local, model: "${UPSTREAM_MODEL}" }
${opts.extraModels ?? ""}
`);
  const basalt = await startBasalt({ config, env: { BASALT_TEST_OPENAI_KEY: API_KEY } });
  const client = h2Client(basalt.url);
  const h1 = h1Client(basalt.url);
  return {
    upstream, basalt, client, h1,
    async close() {
      client.destroy();
      h1.destroy();
      await basalt.stop();
      await upstream.close();
    },
  };
}

/** All events of a ConverseStream response, as plain `{eventName: payload}` objects. */
export async function collectEvents(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const event of stream ?? []) out.push(plain(event));
  return out;
}

export function plain(event: ConverseStreamOutput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) if (v !== undefined && k !== "$unknown") out[k] = v;
  return out;
}

/** Resolves/rejects with what a promise settles to, for asserting SDK errors by name. */
export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; originalStatusCode?: number };

export async function errorOf(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error("expected the call to fail");
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
