// Starts Basalt the way the README says (`node dist/cli.js`, what `npm start` runs) on a free port, and
// stops it with SIGTERM. Tests talk to it only over loopback through official clients.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface RunningBasalt {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process printed so far. */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Writes a YAML config to a temp file and returns its path. */
export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "basalt-test-"));
  const path = join(dir, "basalt.yaml");
  writeFileSync(path, yaml);
  return path;
}

// Every test file's servers keep their embedded stores (SQLite, local s3://) in a directory of the file's
// own, not the repository's ./.basalt: test files run side by side, and servers of different files sharing
// one SQLite file wait on each other's locks and see each other's calls. A server restarted by the same
// file finds its data again. A config that names server.dataDir keeps it.
let dataDir: string | undefined;
export function testDataDir(): string {
  if (!dataDir) {
    const dir = mkdtempSync(join(tmpdir(), "basalt-data-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    dataDir = dir;
  }
  return dataDir;
}

/** Whether basalt.yaml text names server.dataDir itself (then it keeps its own). */
export function namesDataDir(yaml: string): boolean {
  return /\bdataDir\b/.test(yaml);
}

export async function startBasalt(opts: { config?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<RunningBasalt> {
  const args = ["dist/cli.js", "--port", "0", ...(opts.config ? ["--config", opts.config] : []), ...(opts.args ?? [])];
  const ownData = opts.config !== undefined && namesDataDir(readFileSync(opts.config, "utf8")) ? {} : { BASALT_DATA_DIR: testDataDir() };
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, BASALT_LOG_LEVEL: "info", ...ownData, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: on a loaded CI box loading the modules alone can take several seconds.
    // A process that misses it is killed: left running, it would keep the test file (and the port) alive.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`basalt did not start within ${START_TIMEOUT_MS} ms:\n${out}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const m = /"url":"(https?:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`basalt exited with ${code}:\n${out}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url,
    port: Number(new URL(url).port),
    process: child,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion (for start-up failures such as a bad config). */
export function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["dist/cli.js", ...args], { cwd: ROOT, env: { ...process.env, BASALT_DATA_DIR: testDataDir(), ...env } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.once("exit", (code) => resolve({ code, output }));
  });
}
