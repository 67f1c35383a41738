// Child processes of the benchmark: every server and load generator runs in its own process on loopback.
// All children are tracked so that a failure, a timeout or Ctrl-C never leaves one running.
import { spawn, type ChildProcess } from "node:child_process";
import { pinned } from "./pinning.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = ["--import", "tsx"];

const children = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL: teardown must never hang the bench). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
}
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export interface Server {
  name: string;
  port: number;
  url: string;
  pid: number;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** Arguments to `node` (script and its options). */
  args: string[];
  /** The port is read from the first match of this pattern on stdout/stderr. */
  ready: RegExp;
  env?: NodeJS.ProcessEnv;
  /** Run the script through tsx (bench TypeScript files). */
  tsx?: boolean;
  nodeFlags?: string[];
  timeoutMs?: number;
  /** Run on the server core (lib/pinning.ts). */
  pin?: boolean;
}

export async function startServer(spec: ServerSpec): Promise<Server> {
  const [command, args] = pinned(spec.pin ? "server" : undefined, process.execPath, [...(spec.nodeFlags ?? []), ...(spec.tsx ? TSX : []), ...spec.args]);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  const append = (d: Buffer) => {
    // Keep the head (the ready line, errors) and bound the rest.
    if (out.length < 64 * 1024) out += d.toString();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} did not start within ${spec.timeoutMs ?? 20_000} ms:\n${out}`)), spec.timeoutMs ?? 20_000);
    const check = () => {
      const m = spec.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited with ${code} before it was ready:\n${out}`));
    });
  }).catch((err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return {
    name: spec.name,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
}

export interface RunResult { code: number | null; stdout: string; stderr: string }

/** Runs a program to completion with a hard timeout (load generators, bench clients). */
export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Called with each complete stdout line as it arrives (progress reports of bench clients). */
  onLine?: (line: string) => void;
  /** Run on the load generators' cores (lib/pinning.ts). */
  pin?: boolean;
}

export function run(program: string, programArgs: string[], opts: RunOptions): Promise<RunResult> {
  const [command, args] = pinned(opts.pin ? "load" : undefined, program, programArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    let seen = 0;
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d;
      if (!opts.onLine) return;
      for (let nl = stdout.indexOf("\n", seen); nl !== -1; nl = stdout.indexOf("\n", seen)) {
        opts.onLine(stdout.slice(seen, nl));
        seen = nl + 1;
      }
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} timed out after ${opts.timeoutMs} ms\n${stderr}`));
    }, opts.timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      children.delete(child);
      reject(err);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a bench TypeScript client in its own process and parses the JSON it prints last. */
export async function runClient<T>(script: string, args: string[], timeoutMs: number, onLine?: (line: string) => void): Promise<T> {
  const r = await run(process.execPath, [...TSX, script, ...args], { timeoutMs, onLine });
  if (r.code !== 0) throw new Error(`${script} exited with ${r.code}:\n${r.stderr}${r.stdout}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; clock ticks of 10 ms). On a
 * shared machine this is steadier than throughput: it counts the work a request costs, not the time the
 * process waited for a core.
 */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
