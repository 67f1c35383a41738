// Reads basalt.yaml: `${VAR}` substitution from the environment, then the strict schema. Every error
// names the key (or, for YAML syntax, the line and column) it is about, and never a value: a config holds
// API keys, and its errors end up in terminals and logs.
import { readFileSync } from "node:fs";
import { parse as parseYaml, YAMLError } from "yaml";
import type { ZodIssue } from "zod";
import { configSchema, type BasaltConfig } from "./schema.js";

export class ConfigError extends Error {}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function substituteEnv(value: unknown, path: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === "string") {
    return value.replace(ENV_REF, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) throw new ConfigError(`${path}: environment variable ${name} is not set`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, `${path}[${i}]`, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, path ? `${path}.${k}` : k, env)]));
  }
  return value;
}

function describe(issue: ZodIssue): string {
  const key = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[") || "(root)";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `${key === "(root)" ? k : `${key}.${k}`}: unknown key`).join("\n");
  }
  // zod's own wording quotes the value it received; the allowed values are enough.
  if (issue.code === "invalid_enum_value") return `${key}: must be one of ${issue.options.join(", ")}`;
  return `${key}: ${issue.message}`;
}

/** A YAML syntax error by position and kind only: the parser's message may quote the line, secret and all. */
function yamlSyntaxError(err: unknown, source: string): ConfigError {
  if (!(err instanceof YAMLError)) return new ConfigError(`${source}: not valid YAML`);
  const at = err.linePos?.[0];
  const where = at ? ` at line ${at.line}, column ${at.col}` : "";
  return new ConfigError(`${source}: not valid YAML${where} (${err.code}; the line is not shown, as it may hold a secret)`);
}

export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): BasaltConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw yamlSyntaxError(err, source);
  }
  const result = configSchema.safeParse(substituteEnv(raw, "", env));
  if (!result.success) {
    throw new ConfigError(`${source}: invalid configuration\n${result.error.issues.map(describe).join("\n")}`);
  }
  checkReferences(result.data);
  return result.data;
}

function checkReferences(config: BasaltConfig): void {
  const seen = new Set<string>();
  const checkProvider = (provider: string, key: string) => {
    if (provider !== "echo" && !config.providers[provider]) {
      throw new ConfigError(`${key}: no provider named "${provider}" (declare it under providers, or use echo)`);
    }
  };
  config.models?.forEach((m, i) => {
    if (m.routing) m.routing.targets.forEach((t, j) => checkProvider(t.provider, `models[${i}].targets[${j}].provider`));
    else checkProvider(m.provider, `models[${i}].provider`);
    if (seen.has(m.id)) throw new ConfigError(`models[${i}].id: "${m.id}" is listed twice`);
    seen.add(m.id);
  });
}

export function loadConfigFile(path: string): BasaltConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseConfig(text, path);
}
