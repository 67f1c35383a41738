// Starting each contender as its own process on loopback.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type Server } from "./processes.js";

export interface RunOptions {
  quick: boolean;
  /** Rounds of alternating contenders; the report takes medians over rounds. */
  rounds: number;
  /** Seconds per load run. */
  seconds: number;
  /** Write a V8 CPU profile of Basalt per scenario into this directory. */
  profileDir?: string;
}

const PORT_LINE = /listening (\d+)/;

export function startBasalt(name: string, opts: RunOptions, configYaml?: string, placement: { pin?: boolean } = {}): Promise<Server> {
  const args = ["dist/cli.js", "--port", "0"];
  if (configYaml) {
    const path = join(mkdtempSync(join(tmpdir(), "basalt-bench-")), "basalt.yaml");
    writeFileSync(path, configYaml);
    args.push("--config", path);
  }
  return startServer({
    name,
    args,
    ready: /"url":"http:\/\/127\.0\.0\.1:(\d+)"/,
    nodeFlags: opts.profileDir ? ["--cpu-prof", "--cpu-prof-dir", opts.profileDir, "--cpu-prof-name", `${name}.cpuprofile`] : [],
    // Default log level, as users run it.
    env: { BASALT_LOG_LEVEL: "info" },
    pin: placement.pin,
  });
}

export function startBenchServer(name: string, script: string, args: string[] = []): Promise<Server> {
  return startServer({ name, args: [`bench/servers/${script}`, ...args], ready: PORT_LINE, tsx: true });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export const PORTKEY_SCRIPT = "node_modules/@portkey-ai/gateway/build/start-server.js";

/** Portkey's gateway (Node build), headless, with the fetch shim its streaming path needs (see the shim). */
export async function startPortkey(): Promise<Server> {
  const port = await freePort();
  const server = await startServer({
    name: "portkey",
    args: ["--import", "./bench/servers/portkey-fetch-shim.mjs", PORTKEY_SCRIPT, `--port=${port}`, "--headless"],
    ready: /Ready for connections/,
    env: { NODE_ENV: "production" },
    timeoutMs: 30_000,
  });
  return { ...server, port, url: `http://127.0.0.1:${port}` };
}

/** Headers that route a Portkey chat completion to an OpenAI-compatible base URL. */
export function portkeyHeaders(upstreamBaseUrl: string): Record<string, string> {
  return {
    "x-portkey-provider": "openai",
    "x-portkey-custom-host": upstreamBaseUrl,
    authorization: "Bearer sk-bench",
  };
}
