// Issue 10, items 5 and 6, through the real CLI: a hung upstream (it accepts the request and never answers)
// is a ModelTimeoutException within the provider's firstByteTimeoutMs — before an SDK's read timeout — and an
// upstream that answers 200 with something that is not JSON or an event stream (a web UI or a proxy's login
// page at baseUrl) is a ModelErrorException naming what came back. For every remote provider type: openai,
// anthropic and bedrock.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h1Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";

const FIRST_BYTE_MS = 1_500;
const LOGIN_PAGE = "<!DOCTYPE html>\n<html><head><title>Sign in - Corporate Proxy</title></head><body>Please sign in</body></html>";
const PROVIDERS = ["openai", "anthropic", "bedrock"] as const;
const SECRETS = ["sk-upstream-key", "upstream-secret-access-key"];
const clientMessages: string[] = [];

const hung: ServerResponse[] = [];
let hits = { hang: 0 };
// /web/... answers every request with a login page; /hang/... never answers.
const upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  if (req.url!.startsWith("/hang/")) {
    hits.hang++;
    hung.push(res);
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(LOGIN_PAGE);
});

let basalt: RunningBasalt;
let client: BedrockRuntimeClient;

function providerYaml(name: string, type: (typeof PROVIDERS)[number], base: string, extra = ""): string {
  if (type === "bedrock") return `  ${name}: { type: bedrock, region: us-east-1, endpoint: "${base}"${extra} }`;
  return `  ${name}: { type: ${type}, baseUrl: "${type === "openai" ? `${base}/v1` : base}", apiKey: "${SECRETS[0]}"${extra} }`;
}

describe("upstream faults (real CLI)", () => {
  before(async () => {
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const lines = ["providers:"];
    const models = ["models:"];
    for (const type of PROVIDERS) {
      lines.push(providerYaml(`web-${type}`, type, `${origin}/web`));
      lines.push(providerYaml(`hung-${type}`, type, `${origin}/hang`, `, firstByteTimeoutMs: ${FIRST_BYTE_MS}`));
      // Bedrock serves Bedrock model ids; the others any name.
      const upstreamModel = type === "bedrock" ? "amazon.nova-micro-v1:0" : "m";
      models.push(`  - { id: web.${type}, provider: web-${type}, model: "${upstreamModel}" }`);
      models.push(`  - { id: hung.${type}, provider: hung-${type}, model: "${upstreamModel}" }`);
    }
    basalt = await startBasalt({
      config: writeConfig([...lines, ...models].join("\n") + "\n"),
      env: { AWS_ACCESS_KEY_ID: "AKIDUPSTREAM00001", AWS_SECRET_ACCESS_KEY: SECRETS[1] },
    });
    client = h1Client(basalt.url);
  });

  after(async () => {
    client?.destroy();
    await basalt?.stop();
    for (const res of hung) res.destroy();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  const messages = [{ role: "user" as const, content: [{ text: "hello" }] }];

  async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
    try {
      const out = (await p) as { stream?: AsyncIterable<unknown> };
      if (out.stream) for await (const _ of out.stream) void _;
    } catch (err) {
      const e = err as Error & { $metadata?: { httpStatusCode?: number } };
      clientMessages.push(e.message);
      return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
    }
    return { name: "no error", message: "" };
  }

  describe("a 200 answer that is not JSON → ModelErrorException naming it", () => {
    for (const type of PROVIDERS) {
      for (const op of ["Converse", "ConverseStream"] as const) {
        it(`${type}: ${op}`, async () => {
          const command = op === "Converse" ? new ConverseCommand({ modelId: `web.${type}`, messages }) : new ConverseStreamCommand({ modelId: `web.${type}`, messages });
          const e = await failure(client.send(command as ConverseCommand));
          assert.equal(e.name, "ModelErrorException", e.message);
          assert.equal(e.status, 424);
          assert.match(e.message, new RegExp(`provider web-${type} answered 200 with text/html`));
          assert.match(e.message, /Sign in - Corporate Proxy/);
        });
      }
    }
  });

  describe("a hung upstream → ModelTimeoutException within firstByteTimeoutMs", () => {
    for (const type of PROVIDERS) {
      it(`${type}: Converse`, async () => {
        const started = Date.now();
        const e = await failure(client.send(new ConverseCommand({ modelId: `hung.${type}`, messages })));
        const tookMs = Date.now() - started;
        assert.equal(e.name, "ModelTimeoutException", e.message);
        assert.equal(e.status, 408);
        assert.ok(tookMs >= FIRST_BYTE_MS - 100, `answered after ${tookMs} ms`);
        // Far below the total timeout (300–600 s by default) and below boto3's 60 s read timeout.
        assert.ok(tookMs < 30_000, `answered after ${tookMs} ms`);
      });
    }

    it("boto3 with its defaults sees ModelTimeoutException, not a ReadTimeoutError", async () => {
      hits = { hang: 0 };
      const script = [
        "import boto3, sys",
        "from botocore.config import Config",
        "c = boto3.client('bedrock-runtime', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='AKIDTEST', aws_secret_access_key='x')",
        "try:",
        "    c.converse(modelId='hung.openai', messages=[{'role': 'user', 'content': [{'text': 'hi'}]}])",
        "    print('answered')",
        "except Exception as e:",
        "    print(type(e).__name__, getattr(e, 'response', {}).get('Error', {}).get('Code'))",
      ].join("\n");
      const out = await new Promise<string>((resolve, reject) =>
        execFile("python3", ["-c", script, basalt.url], { timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout.trim()))),
      );
      assert.equal(out, "ModelTimeoutException ModelTimeoutException");
      assert.ok(hits.hang >= 1);
    });
  });

  it("no provider key or AWS secret in any log line or client-visible message", () => {
    assert.ok(clientMessages.length >= 9);
    for (const secret of SECRETS) {
      assert.equal(basalt.output().includes(secret), false, `a secret reached the log:\n${basalt.output()}`);
      for (const m of clientMessages) assert.equal(m.includes(secret), false, `a secret reached a client: ${m}`);
    }
  });
});
