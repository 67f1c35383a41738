// A Basalt started in this process for the guardrail tests: a temp data directory (its own SQLite file),
// the echo model, a model behind a fake OpenAI-compatible upstream (to see whether a call reached it; it reads
// Claude's InvokeModel body), the
// official control-plane and runtime clients, and the finished call records.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { startBasalt, type Basalt } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { CallRecord } from "../../src/core/call-record.js";
import { h2Client } from "../helpers/clients.js";
import { startOpenAIUpstream, type FakeOpenAIUpstream, type Responder } from "../fakes/openai-upstream.js";

export interface GuardrailServer {
  basalt: Basalt;
  upstream: FakeOpenAIUpstream;
  runtime: ReturnType<typeof h2Client>;
  control: BedrockClient;
  dataDir: string;
  /** The finished record of a request id (waits for the observer, which runs after the response closed). */
  recordOf(requestId: string | undefined): Promise<CallRecord>;
  stop(): Promise<void>;
}

/** `yaml` is appended to a config that serves basalt.echo and `fake.model` (the fake upstream). */
export async function startGuardrailServer(yaml = "", respond?: Responder): Promise<GuardrailServer> {
  const upstream = await startOpenAIUpstream(respond);
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-guardrails-"));
  const config = parseConfig([
    `server: { port: 0, dataDir: ${JSON.stringify(dataDir)} }`,
    `providers: { fake: { type: openai, baseUrl: ${JSON.stringify(upstream.baseUrl)} } }`,
    "models:",
    "  - { id: basalt.echo, provider: echo }",
    "  - { id: fake.model, provider: fake, model: fake-upstream-model, family: anthropic }",
    yaml,
  ].join("\n"), "(test)");
  const records: CallRecord[] = [];
  const basalt = await startBasalt(config, { observers: [{ name: "test", observe: (r) => void records.push(structuredClone(r)) }] });
  const credentials = { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" };
  const control = new BedrockClient({ endpoint: basalt.url, region: "us-east-1", credentials, maxAttempts: 1 });
  const runtime = h2Client(basalt.url);
  return {
    basalt, upstream, runtime, control, dataDir,
    async recordOf(requestId) {
      for (let i = 0; i < 300; i++) {
        const found = records.find((r) => r.requestId === requestId);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no call record for ${requestId}`);
    },
    async stop() {
      control.destroy();
      runtime.destroy();
      await basalt.stop();
      await upstream.close();
    },
  };
}

/** An assessment without its measured latency (the one member a test cannot predict). */
export function withoutLatency<T extends { invocationMetrics?: { guardrailProcessingLatency?: number } }>(a: T): T {
  if (!a.invocationMetrics) return a;
  const { guardrailProcessingLatency: _latency, ...metrics } = a.invocationMetrics;
  return { ...a, invocationMetrics: metrics };
}
