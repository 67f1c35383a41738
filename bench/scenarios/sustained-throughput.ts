// Round 2, scenario 9: sustained throughput (the published gateway method). The upstream waits 20 ms before
// every answer; each contender gets closed-loop load (autocannon, HTTP/1.1, pre-signed distinct bodies) at
// rising concurrency, the contenders taking turns at each level. A level is sustained when no request
// failed and p99 < 100 ms. A contender stops rising after two levels in a row that are not (one p99 spike
// on a shared machine does not end its run). Its figure is the req/s of its highest sustained level.
import { cpuMsOf, runClient } from "../lib/processes.js";
import { CONTENDER_LABEL, rotation, startGateways, type Contender } from "../lib/gateways.js";
import { median, round } from "../lib/stats.js";
import type { RunOptions } from "../lib/contenders.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CLIENT = "bench/clients/plan-load.ts";
const WHO: readonly Contender[] = ["direct", "bare", "full", "portkey"];
const P99_LIMIT_MS = 100;

interface Load { rps: number; p50: number; p99: number; requests: number; failures: number; cpuUs?: number }
const sustained = (l: Load) => l.failures === 0 && l.p99 < P99_LIMIT_MS;

export async function sustainedThroughput(opts: RunOptions): Promise<ScenarioResult> {
  const set = await startGateways("throughput", opts, ["--delay-ms", "20"], WHO);
  try {
    const levels = opts.quick ? [8, 32] : [8, 16, 32, 64, 128, 256, 512];
    const seconds = opts.quick ? 1 : Math.max(3, opts.seconds);
    const table: Table = {
      caption: `Closed-loop JSON load against an upstream that waits 20 ms, HTTP/1.1 (autocannon), ${seconds} s per level; a level counts when there are zero failures and p99 < ${P99_LIMIT_MS} ms`,
      columns: ["Concurrency", ...WHO.map((w) => `${CONTENDER_LABEL[w]}: req/s (p99 ms)`)],
      rows: [],
    };
    const best: Partial<Record<Contender, { level: number; load: Load }>> = {};
    const stopped = new Set<Contender>();
    const misses: Partial<Record<Contender, number>> = {};
    const cpu: Partial<Record<Contender, number[]>> = {};
    // Warm-up: JIT and upstream connection pools on every hop (quick runs only check the harness).
    if (!opts.quick) for (const who of WHO) await runClient<Load>(CLIENT, [...set.args(who), "--connections", "16", "--seconds", "2", "--count", "3000"], 60_000);
    for (const [i, level] of levels.entries()) {
      const row: (string | number)[] = [level];
      const cells: Partial<Record<Contender, string>> = {};
      for (const who of rotation(WHO, i)) {
        if (stopped.has(who)) {
          cells[who] = "—";
          continue;
        }
        // Enough distinct bodies for the whole level at its ideal rate (connections / 20 ms), so none repeats.
        const count = Math.ceil((level / 0.02) * seconds * 1.2) + 100;
        const cpu0 = cpuMsOf(set.pid(who));
        const load = await runClient<Load>(CLIENT, [...set.args(who), "--connections", String(level), "--seconds", String(seconds), "--count", String(count)], (seconds + 120) * 1000);
        set.checkAlive();
        // The contender's own CPU per request (the direct path: the upstream's): what bounds its req/s on a
        // core of its own, and steadier than req/s when neighbours load the machine.
        load.cpuUs = ((cpuMsOf(set.pid(who)) - cpu0) * 1000) / Math.max(1, load.requests);
        (cpu[who] ??= []).push(load.cpuUs);
        cells[who] = `${round(load.rps, 0)} (${round(load.p99, 0)})${load.failures ? `, ${load.failures} failed` : ""}`;
        if (sustained(load)) {
          if (!best[who] || load.rps > best[who].load.rps) best[who] = { level, load };
          misses[who] = 0;
        } else if ((misses[who] = (misses[who] ?? 0) + 1) >= 2) stopped.add(who);
      }
      for (const who of WHO) row.push(cells[who] ?? "—");
      table.rows.push(row);
      if (stopped.size === WHO.length) break;
    }
    const rps = (w: Contender) => best[w]?.load.rps ?? 0;
    const cpuUs = (w: Contender) => median(cpu[w] ?? []);
    const summary: Table = {
      caption: "Highest sustained level per contender",
      columns: ["Path", "concurrency", "req/s", "p50 ms", "p99 ms", "CPU µs/req (median over levels)", "req per CPU-s"],
      rows: WHO.map((w) => [
        CONTENDER_LABEL[w], best[w]?.level ?? "none", round(rps(w), 0), best[w] ? round(best[w].load.p50) : "—", best[w] ? round(best[w].load.p99) : "—",
        round(cpuUs(w), 0), round(1e6 / cpuUs(w), 0),
      ]),
    };
    const ratio = rps("full") / rps("portkey");
    const cpuRatio = cpuUs("portkey") / cpuUs("full");
    const targets: Target[] = [{
      name: "Sustained throughput, full policy stack vs Portkey", target: "≥ 5×",
      measured: `${round(rps("full"), 0)} vs ${round(rps("portkey"), 0)} req/s (${round(ratio, 2)}×); per CPU-second ${round(1e6 / cpuUs("full"), 0)} vs ${round(1e6 / cpuUs("portkey"), 0)} (${round(cpuRatio, 2)}×)`,
      met: ratio >= 5,
    }];
    const notes = [
      `Levels: ${levels.join(", ")} concurrent requests; a contender stops after two unsustained levels in a row. The ideal at concurrency c is c / 20 ms req/s; the direct row shows what the load generator and upstream reach on this machine, which caps every other row.`,
      "Full policy stack as in scenario 8 (SigV4 signatures made before the run; every body distinct, so every request is a cache miss).",
    ];
    if (levels.length && best.direct?.level === levels[levels.length - 1]) notes.push("The direct path sustained the highest level tried: higher levels were not tried.");
    return { id: "sustained-throughput", title: "9. Sustained throughput against a 20 ms upstream", tables: [table, summary], targets, notes };
  } finally {
    await Promise.all(set.servers.map((s) => s.stop()));
  }
}
