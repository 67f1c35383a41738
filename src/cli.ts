#!/usr/bin/env node
// basalt [--port N] [--host H] [--config basalt.yaml] [--tls-cert F --tls-key F] — `basalt --help` for all.
// Options are read before the server's modules load, so --help, --version and usage errors answer at once.
import { fileURLToPath } from "node:url";
import { ConfigError, UsageError, helpText, readCli } from "./startup/cli-options.js";
import { DEFAULT_SHUTDOWN_GRACE_MS, VERSION } from "./startup/defaults.js";
import { stopWithParent } from "./startup/stop-with-parent.js";
import { log } from "./log.js";

// After the grace, still-running requests are answered ServiceUnavailableException and their connections
// closed; this is the margin for that and for closing the stores before the process is made to exit.
const EXIT_MARGIN_MS = 800;

function fail(message: string): never {
  process.stderr.write(`basalt: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let action;
  try {
    action = readCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (action.kind === "help") return void process.stdout.write(helpText(fileURLToPath(new URL("../README.md", import.meta.url))));
  if (action.kind === "version") return void process.stdout.write(`basalt ${VERSION}\n`);

  const { config, configFile } = action;
  const { startBasalt } = await import("./app.js");
  const { reportStartup } = await import("./startup/report-startup.js");
  const basalt = await startBasalt(config).catch((err: Error) => fail(err.message));

  // Handlers go in before the "listening" line: whoever waits for that line (a supervisor, the tests) may
  // send SIGTERM at once, and without a handler Node would die by the signal instead of stopping cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadlineMs = (config.server.drainMs ?? 0) + (config.server.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS) + EXIT_MARGIN_MS;
    log.info({ signal, deadlineMs }, "shutting down");
    // Whatever still holds the event loop (a store that will not close) must not keep a supervisor waiting.
    setTimeout(() => {
      log.error({ deadlineMs }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, deadlineMs).unref();
    basalt.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  // The process's heap is the command's to manage, not the app's: an embedding program keeps its own GC.
  if (config.server.trimMemoryWhenIdle !== false) (await import("./server/idle-memory-trim.js")).trimMemoryWhenIdle();
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // A closed terminal (or an operator's `kill -HUP`, out of habit for a reload Basalt does not do) stops it
  // cleanly too: by default the signal kills Node at once, with the ledger's last batch unwritten.
  process.on("SIGHUP", () => stop("SIGHUP"));
  stopWithParent((reason) => stop(reason));
  log.info({ url: basalt.url, models: basalt.registry.ids, version: VERSION }, `basalt listening on ${basalt.url}`);
  reportStartup(config, configFile);
}

void main();
