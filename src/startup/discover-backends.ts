// Zero-config start-up: when no config file names any backend, say what this machine could serve and print a
// ready-to-paste basalt.yaml. Looks only at environment variables, the AWS shared files, and a GET to a local
// Ollama; never calls a paid API, never prints a secret (keys appear as `${VAR}` references).
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { BasaltConfig } from "../config/schema.js";
import { log } from "../log.js";

export const DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434";
const OLLAMA_PROBE_MS = 500;
const MAX_OLLAMA_MODELS = 10;

export interface DiscoveredBackend {
  /** Provider name in the snippet. */
  provider: string;
  /** What was found, without secrets, e.g. "OPENAI_API_KEY is set". */
  found: string;
  providerYaml: string;
  modelsYaml: string[];
}

export interface DiscoverOptions {
  env?: NodeJS.ProcessEnv;
  /** The config file read, if any: an empty one is reported as such, not as a missing one. */
  configFile?: { path: string; empty: boolean };
  /** Where to look for Ollama; BASALT_OLLAMA_URL, else its default address. */
  ollamaUrl?: string;
}

const q = (s: string) => JSON.stringify(s);

/** Profile names in an AWS shared credentials or config file (`[name]`, `[profile name]`). */
function profilesIn(path: string, isConfigFile: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*(profile\s+)?([^\]\s]+)\s*\]/.exec(line);
    // [sso-session x] and [services x] sections are not profiles.
    if (m && (!isConfigFile || m[1] || m[2] === "default")) names.push(m[2]);
  }
  return names;
}

function discoverAws(env: NodeJS.ProcessEnv): DiscoveredBackend | undefined {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
  let found: string | undefined;
  let profile: string | undefined;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    found = "AWS credentials in the environment (AWS_ACCESS_KEY_ID)";
  } else {
    const aws = join(homedir(), ".aws");
    const profiles = new Set([
      ...profilesIn(env.AWS_SHARED_CREDENTIALS_FILE || join(aws, "credentials"), false),
      ...profilesIn(env.AWS_CONFIG_FILE || join(aws, "config"), true),
    ]);
    if (env.AWS_PROFILE && profiles.has(env.AWS_PROFILE)) found = `AWS profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
    else if (profiles.has("default")) found = "AWS default profile in the shared credentials/config files";
    else if (profiles.size > 0) {
      profile = [...profiles][0];
      found = `AWS profile ${profile} in the shared credentials/config files`;
    }
  }
  if (!found) return undefined;
  const prefix = region.split("-")[0] === "us" ? "us." : "";
  return {
    provider: "aws",
    found,
    providerYaml: `aws: { type: bedrock, region: ${region}${profile ? `, profile: ${q(profile)}` : ""} }`,
    modelsYaml: [`- { id: "amazon.nova-micro-v1:0", provider: aws, model: ${q(`${prefix}amazon.nova-micro-v1:0`)} }`],
  };
}

async function discoverOllama(baseUrl: string): Promise<DiscoveredBackend | undefined> {
  let names: string[];
  try {
    const res = await fetch(`${baseUrl}/api/tags`, { signal: AbortSignal.timeout(OLLAMA_PROBE_MS) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { models?: { name?: unknown; model?: unknown }[] };
    names = (body.models ?? []).map((m) => m.name ?? m.model).filter((n): n is string => typeof n === "string");
  } catch {
    return undefined;
  }
  const shown = names.slice(0, MAX_OLLAMA_MODELS);
  return {
    provider: "ollama",
    found: `an Ollama at ${baseUrl} with ${names.length} model${names.length === 1 ? "" : "s"}`,
    providerYaml: `ollama: { type: openai, baseUrl: ${q(`${baseUrl}/v1`)} }`,
    modelsYaml: shown.length
      ? shown.map((n) => `- { id: ${q(`ollama.${n}`)}, provider: ollama, model: ${q(n)} }`)
      : ['# - { id: "ollama.llama3.1:8b", provider: ollama, model: "llama3.1:8b" }   # after `ollama pull llama3.1:8b`'],
  };
}

export async function discoverBackends(opts: DiscoverOptions = {}): Promise<DiscoveredBackend[]> {
  const env = opts.env ?? process.env;
  const found: DiscoveredBackend[] = [];
  const ollama = await discoverOllama((opts.ollamaUrl ?? env.BASALT_OLLAMA_URL ?? DEFAULT_OLLAMA_URL).replace(/\/+$/, ""));
  if (ollama) found.push(ollama);
  if (env.OPENAI_API_KEY) {
    found.push({
      provider: "openai",
      found: "OPENAI_API_KEY is set",
      providerYaml: 'openai: { type: openai, baseUrl: "https://api.openai.com/v1", apiKey: "${OPENAI_API_KEY}" }',
      modelsYaml: ['- { id: "openai.gpt-4o-mini", provider: openai, model: "gpt-4o-mini" }'],
    });
  }
  if (env.ANTHROPIC_API_KEY) {
    found.push({
      provider: "claude",
      found: "ANTHROPIC_API_KEY is set",
      providerYaml: 'claude: { type: anthropic, apiKey: "${ANTHROPIC_API_KEY}" }',
      modelsYaml: ['- { id: "anthropic.claude-3-5-haiku-20241022-v1:0", provider: claude, model: "claude-3-5-haiku-20241022" }'],
    });
  }
  const aws = discoverAws(env);
  if (aws) found.push(aws);
  return found;
}

/** A basalt.yaml that serves what was found, plus the echo model. */
export function formatConfigSnippet(found: DiscoveredBackend[]): string {
  const lines = ["providers:", ...found.map((b) => `  ${b.providerYaml}`), "models:", '  - { id: "basalt.echo", provider: echo }'];
  for (const b of found) for (const m of b.modelsYaml) lines.push(`  ${m}`);
  return lines.join("\n") + "\n";
}

/** How the start-up message names the config: "no config file", "config file x.yaml is empty", … */
function describeConfig(configFile: DiscoverOptions["configFile"]): string {
  if (!configFile) return "no config file";
  return configFile.empty ? `config file ${configFile.path} is empty` : `config file ${configFile.path} names no providers or models`;
}

/** Logs the discovery when the config names no backend. Never throws; never delays serving. */
export async function reportDiscoveredBackends(config: BasaltConfig, opts: DiscoverOptions = {}): Promise<void> {
  if (config.models !== undefined || Object.keys(config.providers).length > 0) return;
  const what = describeConfig(opts.configFile);
  try {
    const found = await discoverBackends(opts);
    if (found.length === 0) {
      log.info({ discovered: [], configFile: opts.configFile?.path }, `${what}: serving basalt.echo only; no OpenAI/Anthropic key, AWS credentials or local Ollama found`);
      return;
    }
    const snippet = formatConfigSnippet(found);
    log.info(
      { discovered: found.map((b) => b.found), config: snippet, configFile: opts.configFile?.path },
      `${what}: serving basalt.echo only; found ${found.map((b) => b.found).join("; ")}. ` +
        `To serve them, save the config below as ${opts.configFile?.path ?? "basalt.yaml"} (adjust the model ids) and restart`,
    );
    process.stderr.write(`\n# basalt.yaml — ready to paste\n${snippet}\n`);
  } catch (err) {
    log.warn({ err: (err as Error).message }, "backend discovery failed");
  }
}
