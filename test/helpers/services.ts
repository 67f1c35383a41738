// Real backing services for tests, each a process of its own on a free loopback port, private to the test
// file that starts it: redis-server and postgres from Debian's packages, s3rver (npm) in-process. Every
// service started here is stopped when the test process exits, even if a test forgot to.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Debian keeps each major version apart (/usr/lib/postgresql/<major>/bin); take the newest installed. */
function findPostgresBin(): string {
  if (process.env.BASALT_POSTGRES_BIN) return process.env.BASALT_POSTGRES_BIN;
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0], "bin") : join(root, "15", "bin");
}
const POSTGRES_BIN = findPostgresBin();
const START_TIMEOUT_MS = 20_000;

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.once("exit", () => {
  // SIGQUIT is postgres's immediate shutdown (it takes its backends along); redis-server dies on it too.
  for (const child of running) child.kill("SIGQUIT");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** A temp dir removed on stop, or when the test process exits without stopping. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A port nobody listens on right now (the kernel's pick for port 0). */
export async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface Started {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Spawns a service and resolves once `ready(output)` is true; rejects with its output if it exits first or
 * takes longer than START_TIMEOUT_MS.
 */
async function spawnService(
  command: string,
  args: string[],
  options: { ready: (output: string) => boolean | Promise<boolean>; uid?: number; gid?: number; cwd?: string },
): Promise<Started> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], uid: options.uid, gid: options.gid, cwd: options.cwd });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => (running.delete(child), resolve())));
  let output = "";
  let spawnError: Error | undefined;
  child.once("error", (err) => (spawnError = err));
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError !== undefined) throw spawnError;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${command} exited at start:\n${output}`);
    if (await options.ready(output)) return { child, exited };
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${command} not ready after ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs a command to its end; rejects with its output unless it exits with 0. */
async function runToEnd(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string }): Promise<string> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`${command} exited with ${code}:\n${output}`);
  return output;
}

async function stopChild(started: Started, signal: NodeJS.Signals, graceMs = 5_000): Promise<void> {
  const { child, exited } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Tries a fresh free port a few times: another process may take the port between the pick and the bind. */
async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export interface RunningRedis {
  url: string;
  port: number;
  /** SIGKILL, as a crash: clients see their connections reset. */
  kill(): Promise<void>;
  /** Starts a fresh, empty redis-server on the same port (after kill). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a frozen server that keeps its connections open but never answers. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** `port`: a fixed port (e.g. one a store was already pointed at); default a free one. */
export async function startRedis(options: { port?: number } = {}): Promise<RunningRedis> {
  const launch = (port: number) =>
    spawnService("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmpdir()], {
      ready: (output) => output.includes("Ready to accept connections"),
    });
  let port = options.port ?? 0;
  let current =
    options.port !== undefined
      ? await launch(options.port)
      : await onFreePort(async (candidate) => {
          const started = await launch(candidate);
          port = candidate;
          return started;
        });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stopChild(current, "SIGKILL"),
    async restart() {
      await stopChild(current, "SIGKILL");
      current = await launch(port);
    },
    pause: () => void current.child.kill("SIGSTOP"),
    resume: () => void current.child.kill("SIGCONT"),
    async stop() {
      current.child.kill("SIGCONT");
      await stopChild(current, "SIGTERM");
    },
  };
}

export interface RunningPostgres {
  /** postgres://postgres@127.0.0.1:<port>/basalt — a fresh database, trust auth. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** uid/gid of the `postgres` user when we are root (initdb and postgres refuse to run as root). */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  if (line === undefined) throw new Error("running as root, but there is no postgres user to run postgres as");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * An initdb'd data directory shared by every test on this machine (initdb takes seconds on a busy machine,
 * a copy a fraction of that). Built aside and renamed into place, so concurrent builders never see half of one.
 */
async function postgresTemplate(user: { uid?: number; gid?: number }): Promise<string> {
  const template = join(tmpdir(), `basalt-pg-template-${createHash("sha256").update(POSTGRES_BIN).digest("hex").slice(0, 12)}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  const building = mkdtempSync(`${template}-building-`);
  try {
    if (user.uid !== undefined && user.gid !== undefined) chownSync(building, user.uid, user.gid);
    const data = join(building, "data");
    await runToEnd(join(POSTGRES_BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], { ...user, cwd: building });
    try {
      renameSync(data, template);
    } catch (err) {
      if (!existsSync(join(template, "PG_VERSION"))) throw err; // else another test file built it first
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const user = postgresUser();
  const dir = tempDir("basalt-pg-");
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  try {
    await runToEnd("cp", ["-a", await postgresTemplate(user), data], {});
  } catch (err) {
    removeTempDir(dir);
    throw err;
  }
  // Durability is not under test here: no fsync, no full-page writes; the unix socket stays in the temp dir.
  const settings = ["fsync=off", "synchronous_commit=off", "full_page_writes=off", "shared_buffers=16MB", "max_connections=60"];
  const launch = async (port: number) => {
    const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return spawnService(
      join(POSTGRES_BIN, "postgres"),
      ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir, ...settings.flatMap((s) => ["-c", s])],
      { ...user, cwd: dir, ready: (output) => output.includes("ready to accept connections") && canConnect(admin) },
    ).then((started) => ({ started, port }));
  };
  try {
    const { started, port } = await onFreePort(launch);
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query("CREATE DATABASE basalt");
    await admin.end();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/basalt`,
      port,
      async stop() {
        await stopChild(started, "SIGINT");
        removeTempDir(dir);
      },
    };
  } catch (err) {
    removeTempDir(dir);
    throw err;
  }
}

/** The `storage.s3` config block for a running s3rver. */
export interface S3TestConfig {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export interface RunningS3rver {
  endpoint: string;
  bucket: string;
  config: S3TestConfig;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  httpServer?: { closeAllConnections(): void };
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

/** s3rver in this process (its own HTTP server) with the named buckets created; accepts key/secret S3RVER. */
export async function startS3rver(options: { buckets?: string[] } = {}): Promise<RunningS3rver> {
  const buckets = options.buckets ?? ["basalt-test"];
  const directory = tempDir("basalt-s3rver-");
  const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket: buckets[0],
    config: { endpoint, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true },
    async stop() {
      // Keep-alive sockets of S3 clients would hold close() open.
      server.httpServer?.closeAllConnections();
      await server.close();
      removeTempDir(directory);
    },
  };
}
