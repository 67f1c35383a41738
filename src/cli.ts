#!/usr/bin/env node
// basalt [--port N] [--host H] [--config basalt.yaml] [--tls-cert F --tls-key F]
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { startBasalt, DEFAULT_PORT } from "./app.js";
import { ConfigError, loadConfigFile, parseConfig } from "./config/load-config.js";
import type { BasaltConfig } from "./config/schema.js";
import { log } from "./log.js";
import { reportDiscoveredBackends } from "./startup/discover-backends.js";

function fail(message: string): never {
  process.stderr.write(`basalt: ${message}\n`);
  process.exit(2);
}

function readOptions(): BasaltConfig {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        config: { type: "string", short: "c" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(
      "usage: basalt [--port N] [--host H] [--config basalt.yaml] [--tls-cert cert.pem --tls-key key.pem]\n" +
        `Serves the Amazon Bedrock Runtime API (default port ${DEFAULT_PORT}, or PORT from the environment).\n`,
    );
    process.exit(0);
  }
  const configPath = values.config ?? process.env.BASALT_CONFIG ?? (existsSync("basalt.yaml") ? "basalt.yaml" : undefined);
  const config = configPath ? loadConfigFile(configPath) : parseConfig("{}", "(defaults)");
  const portText = values.port ?? (config.server.port === undefined ? process.env.PORT : undefined);
  if (portText !== undefined) {
    const port = Number(portText);
    const source = values.port !== undefined ? "--port" : "PORT";
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${source}: not a port number: ${portText}`);
    config.server.port = port;
  }
  if (values.host) config.server.host = values.host;
  if (values["tls-cert"] || values["tls-key"]) {
    if (!values["tls-cert"] || !values["tls-key"]) fail("--tls-cert and --tls-key go together");
    // Name the flag now rather than let the TLS server fail later with a bare ENOENT.
    for (const flag of ["tls-cert", "tls-key"] as const) {
      if (!existsSync(values[flag]!)) fail(`--${flag}: no such file: ${values[flag]}`);
    }
    config.server.tlsCert = values["tls-cert"];
    config.server.tlsKey = values["tls-key"];
  }
  return config;
}

async function main(): Promise<void> {
  let config: BasaltConfig;
  try {
    config = readOptions();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const basalt = await startBasalt(config).catch((err: Error) => fail(err.message));

  // Handlers go in before the "listening" line: whoever waits for that line (a supervisor, the tests) may
  // send SIGTERM at once, and without a handler Node would die by the signal instead of stopping cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    basalt.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  log.info({ url: basalt.url, models: basalt.registry.ids }, `basalt listening on ${basalt.url}`);
  void reportDiscoveredBackends(config);
}

void main();
