// The command line and the environment, merged over the config file: flags > environment > file > defaults,
// the order operators expect (a container's PORT wins over the port a shared basalt.yaml names). Every error
// names the flag, variable or key it is about.
import { parseArgs } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { ConfigError, loadConfigFile, parseConfig } from "../config/load-config.js";
import type { BasaltConfig } from "../config/schema.js";
import { checkTlsFiles } from "./check-tls-files.js";
import { UsageError } from "./usage-error.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "./defaults.js";


/** What the CLI was asked to do. */
export type CliAction =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "serve"; config: BasaltConfig; configFile?: ConfigSource };

/** Where the config came from, for the start-up messages ("empty config file" is not "no config file"). */
export interface ConfigSource {
  path: string;
  /** The file holds nothing but whitespace and comments. */
  empty: boolean;
}


const OPTIONS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  config: { type: "string", short: "c" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export function helpText(readmePath: string): string {
  return `usage: basalt [options]

Serves the Amazon Bedrock Runtime API (and OpenAI / Anthropic compatible routes) for the models in a config file.

Options (a flag beats its environment variable, which beats the config file):
  -p, --port N          port to listen on; 0 picks a free one      env PORT         file server.port   default ${DEFAULT_PORT}
      --host H          address to bind (0.0.0.0 exposes it:       env BASALT_HOST  file server.host   default ${DEFAULT_HOST}
                        configure auth first)
  -c, --config FILE     YAML config: providers, models, auth, ...  env BASALT_CONFIG                  default ./basalt.yaml if present
      --tls-cert FILE   PEM certificate (chain) for HTTPS          env BASALT_TLS_CERT file server.tlsCert
      --tls-key FILE    PEM private key for HTTPS                  env BASALT_TLS_KEY  file server.tlsKey
  -h, --help            this text
  -v, --version         print the version and exit

Environment:
  BASALT_LOG_LEVEL      fatal | error | warn | info (default; one line per call) | debug | trace
  BASALT_LOG_FORMAT     json (default: one JSON object per line) | pretty (readable, for a terminal)
  BASALT_DATA_DIR       where the embedded stores live (SQLite ledger, jobs, local s3://); beats server.dataDir
  BASALT_OLLAMA_URL     where start-up looks for a local Ollama when no backend is configured (default http://127.0.0.1:11434)
  OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, OTEL_SERVICE_NAME, OTEL_SDK_DISABLED
                        OpenTelemetry trace export (off unless an endpoint is set)
  AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, ...   credentials of bedrock providers (the AWS SDK's usual chain)
  OPENAI_API_KEY, ANTHROPIC_API_KEY                 only read to suggest a config when none is given
  Any variable may be used in the config file as \${NAME}.

Endpoints besides the AWS routes: GET /_basalt/health (alive), GET /_basalt/ready (ready to serve; each
provider reachable or not), GET /_basalt/models (served model ids), /_basalt/console, /metrics.
SIGTERM or SIGINT stop it gracefully (server.drainMs, server.shutdownGraceMs).

Documentation: ${readmePath} ("Operating Basalt"), and docs/ beside it.
`;
}

function portFrom(text: string, source: string): number {
  const port = Number(text);
  if (text.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${source}: not a port number: ${text}`);
  return port;
}

function readConfig(path: string | undefined): { config: BasaltConfig; source?: ConfigSource } {
  if (!path) return { config: parseConfig("{}", "(defaults)") };
  const config = loadConfigFile(path);
  // loadConfigFile has read it already; a second read only decides how to describe it.
  const text = readFileSync(path, "utf8");
  const empty = text.split(/\r?\n/).every((line) => line.trim() === "" || line.trimStart().startsWith("#"));
  return { config, source: { path, empty } };
}

/** Parses argv and the environment into what to do; throws UsageError or ConfigError. */
export function readCli(argv: string[], env: NodeJS.ProcessEnv, cwdHasDefaultConfig = existsSync("basalt.yaml")): CliAction {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (basalt --help lists the options)`);
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };

  const configPath = values.config ?? (env.BASALT_CONFIG || undefined) ?? (cwdHasDefaultConfig ? "basalt.yaml" : undefined);
  const { config, source } = readConfig(configPath);
  const s = config.server;

  if (values.port !== undefined) s.port = portFrom(values.port, "--port");
  else if (env.PORT !== undefined && env.PORT !== "") s.port = portFrom(env.PORT, "PORT");

  if (values.host !== undefined) s.host = values.host;
  else if (env.BASALT_HOST) s.host = env.BASALT_HOST;

  if (env.BASALT_DATA_DIR) s.dataDir = env.BASALT_DATA_DIR;

  // The pair comes from one place: flags, else the environment, else the file.
  const tls =
    values["tls-cert"] !== undefined || values["tls-key"] !== undefined
      ? { cert: values["tls-cert"], key: values["tls-key"], certName: "--tls-cert", keyName: "--tls-key" }
      : env.BASALT_TLS_CERT || env.BASALT_TLS_KEY
        ? { cert: env.BASALT_TLS_CERT || undefined, key: env.BASALT_TLS_KEY || undefined, certName: "BASALT_TLS_CERT", keyName: "BASALT_TLS_KEY" }
        : s.tlsCert !== undefined || s.tlsKey !== undefined
          ? { cert: s.tlsCert, key: s.tlsKey, certName: "server.tlsCert", keyName: "server.tlsKey" }
          : undefined;
  if (tls) {
    if (!tls.cert || !tls.key) throw new UsageError(`${tls.certName} and ${tls.keyName} go together`);
    checkTlsFiles({ ...tls, cert: tls.cert, key: tls.key });
    s.tlsCert = tls.cert;
    s.tlsKey = tls.key;
  }
  return { kind: "serve", config, configFile: source };
}

export { ConfigError, UsageError };
