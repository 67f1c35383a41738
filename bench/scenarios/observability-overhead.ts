// Scenario 6: what the ledger and the metrics cost. The same Basalt (echo model, Converse, default log line
// per call, history as configured) with `server.ledger` + `server.metrics` on (the default) and off, over
// HTTP/1.1 (autocannon) and cleartext HTTP/2 (h2load). Issue 13's aim: on ≥ 0.85× off.
// Besides req/s, each run measures the server's own CPU time per request (/proc/<pid>/stat): on a machine
// shared with other work, throughput swings with the neighbours, while CPU per request is what a request
// costs and so what bounds throughput on a core of its own. The target is judged on that ratio.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { autocannon, h2load, h2loadMissing, type LoadResult } from "../lib/load.js";
import { converseBody, SHORT_TEXT } from "../lib/prompts.js";
import { startBasalt, type RunOptions } from "../lib/contenders.js";
import { PINNING } from "../lib/pinning.js";
import { median, round } from "../lib/stats.js";
import type { Server } from "../lib/processes.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const PATH = "/model/basalt.echo/converse";
const H1_CONNECTIONS = 32;
const H2_CONNECTIONS = 2;
const H2_STREAMS = 16;

type Who = "on" | "off";

function config(who: Who): string {
  // A fresh data directory per run: the "on" server's ledger file grows during the run, as in real use.
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-bench-ledger-"));
  const switches = who === "on" ? "" : ", ledger: { enabled: false }, metrics: { enabled: false }";
  return `server: { dataDir: "${dataDir}"${switches} }\n`;
}

/** User + system CPU seconds a process has used so far (Linux), or NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

interface Run extends LoadResult { cpuUsPerRequest: number }

async function rowsOf(protocol: string, rounds: number, pids: Record<Who, number>, measure: (who: Who) => Promise<LoadResult>) {
  const runs: Record<Who, Run[]> = { on: [], off: [] };
  for (let r = 0; r < rounds; r++) {
    for (const who of r % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
      const cpu0 = cpuSeconds(pids[who]);
      const result = await measure(who);
      const cpu = cpuSeconds(pids[who]) - cpu0;
      if (result.failures > 0) throw new Error(`${who} (${protocol}): ${result.failures} failed requests`);
      runs[who].push({ ...result, cpuUsPerRequest: (cpu * 1e6) / result.requests });
    }
  }
  const m = (xs: Run[], k: keyof Run) => median(xs.map((x) => x[k]));
  const rpsRatio = median(runs.on.map((on, i) => on.rps / runs.off[i].rps));
  // Capacity: requests per CPU-second on vs off.
  const cpuRatio = m(runs.off, "cpuUsPerRequest") / m(runs.on, "cpuUsPerRequest");
  return {
    rpsRatio,
    cpuRatio,
    rows: [
      [protocol, "ledger + metrics off", round(m(runs.off, "rps"), 0), round(m(runs.off, "p50")), round(m(runs.off, "p99")), round(m(runs.off, "cpuUsPerRequest"), 0), "1.00", "1.00"],
      [protocol, "ledger + metrics on", round(m(runs.on, "rps"), 0), round(m(runs.on, "p50")), round(m(runs.on, "p99")), round(m(runs.on, "cpuUsPerRequest"), 0), round(rpsRatio).toFixed(2), round(cpuRatio).toFixed(2)],
    ],
  };
}

/** Rows really reach the ledger during the "on" run (a silently failing writer would look fast). */
async function ledgerRequests(url: string): Promise<number> {
  const res = await fetch(`${url}/_basalt/usage?groupBy=operation`);
  const rows = (await res.json()) as { requests: number }[];
  return rows.reduce((n, r) => n + r.requests, 0);
}

export async function observabilityOverhead(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const on = await startBasalt("basalt-observe-on", opts, config("on"), { pin: true });
    servers.push(on);
    const off = await startBasalt("basalt-observe-off", opts, config("off"), { pin: true });
    servers.push(off);
    const url = (who: Who) => (who === "on" ? on.url : off.url) + PATH;
    const body = converseBody(SHORT_TEXT);
    const table: Table = {
      caption: `Converse, echo model, ${H1_CONNECTIONS} concurrent requests, ${opts.seconds} s × ${opts.rounds} rounds; the same Basalt with the ledger (SQLite) and metrics on vs off; ${PINNING}`,
      columns: ["Protocol", "Basalt", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "req/s on/off", "req per CPU-s on/off"],
      rows: [],
    };
    const targets: Target[] = [];
    const notes: string[] = [];
    if (!opts.quick) for (const who of ["on", "off"] as const) await autocannon({ url: url(who), body, connections: H1_CONNECTIONS, durationSec: 1, pin: true });

    const pids = { on: on.pid, off: off.pid };
    const target = (name: string, r: { rpsRatio: number; cpuRatio: number }): Target => ({
      name,
      target: "≥ 0.85× (requests per server CPU-second)",
      measured: `${round(r.cpuRatio).toFixed(2)}× (req/s ${round(r.rpsRatio).toFixed(2)}×)`,
      met: r.cpuRatio >= 0.85,
    });
    const h1 = await rowsOf("HTTP/1.1", opts.rounds, pids, (who) => autocannon({ url: url(who), body, connections: H1_CONNECTIONS, durationSec: opts.seconds, pin: true }));
    table.rows.push(...h1.rows);
    targets.push(target("Ledger + metrics on vs off, HTTP/1.1", h1));
    const missing = h2loadMissing();
    if (missing) notes.push(`HTTP/2 rows skipped: ${missing}`);
    else {
      // No h2load warm-up inside a measured run: its requests would not be counted but their CPU would.
      if (!opts.quick) for (const who of ["on", "off"] as const) await h2load({ url: url(who), body, connections: H2_CONNECTIONS, streams: H2_STREAMS, durationSec: 1, warmUpSec: 0, pin: true });
      const h2 = await rowsOf("HTTP/2 (h2c)", opts.rounds, pids, (who) =>
        h2load({ url: url(who), body, connections: H2_CONNECTIONS, streams: H2_STREAMS, durationSec: opts.seconds, warmUpSec: 0, pin: true }));
      table.rows.push(...h2.rows);
      targets.push(target("Ledger + metrics on vs off, HTTP/2", h2));
    }
    const written = await ledgerRequests(on.url);
    if (written === 0) throw new Error("the ledger recorded nothing during the run");
    notes.push(`The "on" server's ledger holds ${written} calls after the runs (every request answered, batched off the response path).`);
    notes.push("Both servers log one line per call (the default) and keep call history bodies (loopback default); only the ledger and metrics differ.");
    return { id: "observability-overhead", title: "6. Observability: ledger + metrics on vs off", tables: [table], targets, notes };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
