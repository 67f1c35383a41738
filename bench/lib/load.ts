// The load generators, each run as its own process: autocannon (HTTP/1.1) and h2load (cleartext HTTP/2,
// prior knowledge, as the JS SDK connects). Both report requests/s and p50/p99 latency in ms.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, run } from "./processes.js";
import { percentile } from "./stats.js";

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers, errors and timeouts: any of these makes the measurement invalid. */
  failures: number;
}

export interface LoadSpec {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  /** autocannon only: each `[<id>]` in the body becomes a fresh random id per request (every request differs). */
  idReplacement?: boolean;
  /** Run on the load generators' cores (lib/pinning.ts). */
  pin?: boolean;
}

const AUTOCANNON = join(ROOT, "node_modules/autocannon/autocannon.js");

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export async function autocannon(spec: LoadSpec): Promise<LoadResult> {
  const headers = { "content-type": "application/json", ...spec.headers };
  const args = [
    AUTOCANNON, "-j", "-n", "-m", "POST", "-c", String(spec.connections), "-d", String(spec.durationSec),
    "-b", spec.body, ...(spec.idReplacement ? ["-I"] : []), ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}=${v}`]), spec.url,
  ];
  const r = await run(process.execPath, args, { timeoutMs: (spec.durationSec + 30) * 1000, pin: spec.pin });
  if (r.code !== 0) throw new Error(`autocannon exited with ${r.code}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as AutocannonJson;
  return {
    rps: j.requests.average,
    p50: j.latency.p50,
    p99: j.latency.p99,
    requests: j.requests.total,
    failures: j.non2xx + j.errors + j.timeouts,
  };
}

export function h2loadMissing(): string | undefined {
  const probe = spawnSync("h2load", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    return "h2load not found: install it with `apt-get install -y nghttp2-client` (Debian/Ubuntu) or `brew install nghttp2` (macOS)";
  }
  return undefined;
}

export interface H2LoadSpec extends LoadSpec {
  /** Concurrent streams per connection (the JS SDK multiplexes one session). */
  streams: number;
  /** Unmeasured seconds before the measured duration. */
  warmUpSec?: number;
}

/** h2load prints only mean/sd latencies, so p50/p99 come from its per-request log file. */
export async function h2load(spec: H2LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "basalt-bench-"));
  try {
    const bodyFile = join(dir, "body.json");
    const logFile = join(dir, "requests.log");
    writeFileSync(bodyFile, spec.body);
    const headers = { "content-type": "application/json", ...spec.headers };
    const args = [
      "-c", String(spec.connections), "-m", String(spec.streams), "-t", "1",
      "-D", String(spec.durationSec), "--warm-up-time", String(spec.warmUpSec ?? 1),
      "-d", bodyFile, "--log-file", logFile,
      ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]), spec.url,
    ];
    const r = await run("h2load", args, { timeoutMs: (spec.durationSec + 30) * 1000, pin: spec.pin });
    if (r.code !== 0) throw new Error(`h2load exited with ${r.code}: ${r.stderr}${r.stdout}`);
    const rps = Number(/finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(r.stdout)?.[1] ?? NaN);
    if (Number.isNaN(rps)) throw new Error(`unexpected h2load output:\n${r.stdout}`);
    // Log columns: start time (µs since epoch), status, µs until the end of the response. Only completed
    // responses are logged: streams still in flight when the duration ends (h2load counts them as
    // failed/errored) are not failures of the server.
    const logged = readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => line.split("\t"));
    // Streams cut by the end of the run are logged without a status (-1 / 0); they are not answers.
    const rows = logged.filter((cols) => Number(cols[1]) > 0);
    const latencies = rows.map((cols) => Number(cols[2]) / 1000).sort((a, b) => a - b);
    return {
      rps,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      requests: rows.length,
      failures: rows.filter((cols) => !cols[1].startsWith("2")).length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
