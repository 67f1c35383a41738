// Zero-config start-up: with no config file, Basalt reports which backends this machine has (API keys, AWS
// credentials, a local Ollama) and prints a basalt.yaml that serves them — without printing secrets.
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "../../src/config/load-config.js";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";

const SECRETS = { OPENAI_API_KEY: "sk-test-openai-SECRET-1", ANTHROPIC_API_KEY: "sk-ant-test-SECRET-2", AWS_SECRET_ACCESS_KEY: "aws-SECRET-3" };
const SNIPPET_HEADER = "# basalt.yaml — ready to paste\n";

// An environment with none of the things discovery looks for, on top of which each test adds its own.
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "basalt-home-"));
  return {
    HOME: home,
    OPENAI_API_KEY: "",
    ANTHROPIC_API_KEY: "",
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_PROFILE: "",
    AWS_REGION: "",
    AWS_DEFAULT_REGION: "",
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-credentials"),
    AWS_CONFIG_FILE: join(home, "no-config"),
    BASALT_CONFIG: "",
    ...extra,
  };
}

async function waitForOutput(output: () => string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 300; i++) {
    if (pattern.test(output())) return output();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${pattern} in:\n${output()}`);
}

function snippetOf(output: string): string {
  const start = output.indexOf(SNIPPET_HEADER);
  assert.notEqual(start, -1, output);
  const rest = output.slice(start + SNIPPET_HEADER.length);
  return rest.slice(0, rest.indexOf("\n\n") + 1);
}

describe("zero-config discovery", () => {
  let ollama: Server;
  let ollamaUrl: string;
  const ollamaRequests: string[] = [];

  before(async () => {
    // Ollama's GET /api/tags answer, as its API documentation shows it.
    ollama = createServer((req: IncomingMessage, res) => {
      ollamaRequests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        models: [
          { name: "llama3.1:8b", model: "llama3.1:8b", modified_at: "2024-08-01T00:00:00Z", size: 4661224676, digest: "a".repeat(64),
            details: { format: "gguf", family: "llama", parameter_size: "8.0B", quantization_level: "Q4_0" } },
          { name: "qwen2.5:0.5b", model: "qwen2.5:0.5b", modified_at: "2024-09-01T00:00:00Z", size: 397821319, digest: "b".repeat(64),
            details: { format: "gguf", family: "qwen2", parameter_size: "494M", quantization_level: "Q4_K_M" } },
        ],
      }));
    });
    await new Promise<void>((r) => ollama.listen(0, "127.0.0.1", r));
    ollamaUrl = `http://127.0.0.1:${(ollama.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((r) => ollama.close(() => r())));

  it("finds keys, AWS credentials and Ollama, and prints a valid basalt.yaml without secrets", async () => {
    const env = cleanEnv({ ...SECRETS, AWS_ACCESS_KEY_ID: "AKIDDISCOVERY", AWS_REGION: "eu-west-1", BASALT_OLLAMA_URL: ollamaUrl });
    const basalt = await startBasalt({ env });
    try {
      await waitForOutput(basalt.output, /ready to paste[\s\S]*\n\n/);
      // The JSON log line and the plain snippet are written by different streams: wait for both.
      const output = await waitForOutput(basalt.output, /"discovered":/);
      assert.deepEqual(ollamaRequests, ["GET /api/tags"]);
      const log = output.split("\n").map((l) => { try { return JSON.parse(l) as { discovered?: string[] }; } catch { return {}; } }).find((l) => l.discovered);
      assert.deepEqual(log?.discovered, [
        `an Ollama at ${ollamaUrl} with 2 models`,
        "OPENAI_API_KEY is set",
        "ANTHROPIC_API_KEY is set",
        "AWS credentials in the environment (AWS_ACCESS_KEY_ID)",
      ]);
      for (const secret of Object.values(SECRETS)) assert.ok(!output.includes(secret), `secret leaked: ${secret}`);

      // Ready to paste: the snippet is a valid config once the referenced variables exist.
      const config = parseConfig(snippetOf(output), "snippet", env);
      assert.deepEqual(config.providers, {
        ollama: { type: "openai", baseUrl: `${ollamaUrl}/v1` },
        openai: { type: "openai", baseUrl: "https://api.openai.com/v1", apiKey: SECRETS.OPENAI_API_KEY },
        claude: { type: "anthropic", baseUrl: "https://api.anthropic.com", version: "2023-06-01", apiKey: SECRETS.ANTHROPIC_API_KEY },
        aws: { type: "bedrock", region: "eu-west-1" },
      });
      assert.deepEqual(config.models?.map((m) => [m.id, m.provider, m.model]), [
        ["basalt.echo", "echo", undefined],
        ["ollama.llama3.1:8b", "ollama", "llama3.1:8b"],
        ["ollama.qwen2.5:0.5b", "ollama", "qwen2.5:0.5b"],
        ["openai.gpt-4o-mini", "openai", "gpt-4o-mini"],
        ["anthropic.claude-3-5-haiku-20241022-v1:0", "claude", "claude-3-5-haiku-20241022"],
        ["amazon.nova-micro-v1:0", "aws", "amazon.nova-micro-v1:0"],
      ]);
    } finally {
      await basalt.stop();
    }
  });

  it("finds a named profile in the AWS shared credentials file", async () => {
    const env = cleanEnv({ BASALT_OLLAMA_URL: "http://127.0.0.1:1" });
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, `[work]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = ${SECRETS.AWS_SECRET_ACCESS_KEY}\n`);
    const basalt = await startBasalt({ env });
    try {
      const output = await waitForOutput(basalt.output, /ready to paste[\s\S]*\n\n/);
      assert.ok(!output.includes(SECRETS.AWS_SECRET_ACCESS_KEY));
      const config = parseConfig(snippetOf(output), "snippet", env);
      assert.deepEqual(config.providers, { aws: { type: "bedrock", region: "us-east-1", profile: "work" } });
      assert.equal(config.models?.find((m) => m.provider === "aws")?.model, "us.amazon.nova-micro-v1:0");
    } finally {
      await basalt.stop();
    }
  });

  it("says when nothing was found", async () => {
    const basalt = await startBasalt({ env: cleanEnv({ BASALT_OLLAMA_URL: "http://127.0.0.1:1" }) });
    try {
      const output = await waitForOutput(basalt.output, /"discovered":\[\]/);
      assert.match(output, /serving basalt\.echo only; no OpenAI\/Anthropic key, AWS credentials or local Ollama found/);
      assert.ok(!output.includes("ready to paste"));
    } finally {
      await basalt.stop();
    }
  });

  it("stays quiet when a config file names the backends", async () => {
    const before = ollamaRequests.length;
    const config = writeConfig('models:\n  - { id: "basalt.echo", provider: echo }\n');
    const basalt = await startBasalt({ config, env: cleanEnv({ ...SECRETS, BASALT_OLLAMA_URL: ollamaUrl }) });
    try {
      await new Promise((r) => setTimeout(r, 700));
      assert.ok(!basalt.output().includes("discovered"));
      assert.equal(ollamaRequests.length, before);
    } finally {
      await basalt.stop();
    }
  });
});
