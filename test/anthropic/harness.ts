// One Basalt process in front of one fake Anthropic Messages API, with the config shape the README
// documents, and the SDK clients pointed at it.
import type { BedrockRuntimeClient, ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { startAnthropicUpstream, type FakeAnthropicUpstream } from "../fakes/anthropic-upstream.js";

export const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
export const UPSTREAM_MODEL = "claude-3-5-haiku-20241022";
export const API_KEY = "sk-ant-api03-basalt-test-7Qx2";

export interface Stack {
  upstream: FakeAnthropicUpstream;
  basalt: RunningBasalt;
  client: BedrockRuntimeClient;
  h1: BedrockRuntimeClient;
  close(): Promise<void>;
}

export async function startStack(opts: { timeoutMs?: number; extraProviders?: string; extraModels?: string } = {}): Promise<Stack> {
  const upstream = await startAnthropicUpstream();
  const timeout = opts.timeoutMs ? `, timeoutMs: ${opts.timeoutMs}` : "";
  const config = writeConfig(`
providers:
  claude: { type: anthropic, baseUrl: "${upstream.baseUrl}", apiKey: "\${ANTHROPIC_API_KEY}"${timeout} }
${opts.extraProviders ?? ""}
models:
  - { id: "${MODEL_ID}", provider: claude, model: "${UPSTREAM_MODEL}" }
${opts.extraModels ?? ""}
`);
  const basalt = await startBasalt({ config, env: { ANTHROPIC_API_KEY: API_KEY } });
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

/** Events with metadata.metrics.latencyMs (which varies) replaced by a marker. */
export function stable(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.map((e) => {
    const m = e.metadata as { metrics?: { latencyMs?: unknown } } | undefined;
    if (!m?.metrics) return e;
    if (typeof m.metrics.latencyMs !== "number") throw new Error("metadata.metrics.latencyMs is not a number");
    return { metadata: { ...m, metrics: { latencyMs: "n" } } };
  });
}

export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; originalStatusCode?: number; originalMessage?: string };

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

export const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString("base64");
