// One Basalt process for the test-double tests (the real CLI on loopback), its admin API for scripts, and
// the clients that drive it: the AWS SDK over HTTP/2 and HTTP/1.1, and Anthropic's Bedrock SDK.
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import type { BedrockRuntimeClient, ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";

export const CLAUDE = "anthropic.claude-3-7-sonnet-20250219-v1:0";
export const ANTHROPIC_VERSION = "bedrock-2023-05-31";

export interface DoublesStack {
  basalt: RunningBasalt;
  h2: BedrockRuntimeClient;
  h1: BedrockRuntimeClient;
  anthropic: AnthropicBedrock;
  admin: Admin;
  close(): Promise<void>;
}

export async function startDoubles(yaml = `models:\n  - { id: basalt.echo, provider: echo }\n  - { id: "${CLAUDE}", provider: echo }\n`): Promise<DoublesStack> {
  const basalt = await startBasalt({ config: writeConfig(yaml) });
  const h2 = h2Client(basalt.url);
  const h1 = h1Client(basalt.url);
  const anthropic = new AnthropicBedrock({
    baseURL: basalt.url, awsRegion: "us-east-1", awsAccessKey: "AKIDBASALTTEST", awsSecretKey: "basalt-test-secret", maxRetries: 0,
  });
  return {
    basalt, h2, h1, anthropic, admin: new Admin(basalt.url),
    async close() {
      h2.destroy();
      h1.destroy();
      await basalt.stop();
    },
  };
}

export interface AdminReply<T = Record<string, unknown>> { status: number; body: T }

/** /_basalt/scripts over plain HTTP. */
export class Admin {
  /** `adminKey`: sent as a Bearer token, for a server with `auth.adminKey`. */
  constructor(private readonly url: string, private readonly adminKey?: string) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<AdminReply<T>> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.adminKey ? { authorization: `Bearer ${this.adminKey}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** Adds a script; throws unless it was accepted. */
  async add(script: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = await this.request("POST", "/_basalt/scripts", script);
    if (r.status !== 201) throw new Error(`script refused (${r.status}): ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async clear(): Promise<void> {
    await this.request("DELETE", "/_basalt/scripts");
  }
}

/** Drains an SDK stream: the events, their names, and the error that ended it (if any). */
export async function readStream(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  const times: number[] = [];
  const start = Date.now();
  try {
    for await (const e of stream!) {
      events.push(e);
      times.push(Date.now() - start);
    }
  } catch (error) {
    return { events, times, names: events.map(eventName), error: error as Error & { name: string } };
  }
  return { events, times, names: events.map(eventName), error: undefined };
}

export const eventName = (e: object) => Object.keys(e).find((k) => k !== "$unknown" && (e as Record<string, unknown>)[k] !== undefined)!;
