// Round 2, scenario 11: the echo Converse ratio of scenario 1, now with the full policy stack on. The same
// pre-signed, distinct requests (plan-load client) go to a bare node:http / node:http2 server doing the
// JSON work of an echo, to Basalt bare and to Basalt with every policy on, over HTTP/1.1 (autocannon,
// 32 connections) and h2c (node:http2, 2 sessions × 16 streams). Besides req/s, each run reads the
// server's CPU time per request from /proc: steadier than req/s on a shared machine.
import { cpuMsOf, runClient, type Server } from "../lib/processes.js";
import { startBasalt, startBenchServer, type RunOptions } from "../lib/contenders.js";
import { stackConfig } from "../lib/policy-stack.js";
import { rotation } from "../lib/gateways.js";
import { median, round } from "../lib/stats.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CLIENT = "bench/clients/plan-load.ts";
const MODEL = "bench-echo";
type Who = "baseline" | "bare" | "full";
const WHO: readonly Who[] = ["baseline", "bare", "full"];
const LABEL: Record<Who, string> = { baseline: "bare node:http(2)", bare: "Basalt, bare", full: "Basalt, full policy stack (SigV4)" };

interface Load { rps: number; p50: number; p99: number; requests: number; failures: number }
type Measured = Load & { cpuUs: number };

export async function echoPolicyStack(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const bare = await startBasalt("echo-basalt-bare", opts, stackConfig("bare", MODEL));
    servers.push(bare);
    const full = await startBasalt("echo-basalt-full", opts, stackConfig("full", MODEL));
    servers.push(full);
    const h1 = await startBenchServer("echo-baseline-h1", "baseline-converse.ts");
    servers.push(h1);
    const h2 = await startBenchServer("echo-baseline-h2", "baseline-converse.ts", ["--h2"]);
    servers.push(h2);

    const table: Table = {
      caption: `Converse, echo model, 32 concurrent requests (HTTP/1.1: 32 connections, autocannon; h2c: 2 sessions × 16 streams, node:http2), every body distinct and SigV4-signed before the run, ${opts.seconds} s × ${opts.rounds} rounds`,
      columns: ["Protocol", "Server", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "req/s vs baseline", "req per CPU-s vs baseline"],
      rows: [],
    };
    const targets: Target[] = [];
    const notes: string[] = [];
    const protocols = ["h1", "h2"] as const;
    for (const proto of protocols) {
      const server: Record<Who, Server> = { baseline: proto === "h1" ? h1 : h2, bare, full };
      const args = (who: Who, seconds: number) => [
        "--url", server[who].url, "--proto", proto, "--kind", "converse", "--model", MODEL,
        // The baseline gets the full stack's bytes (guardrailConfig, signed headers): it ignores them.
        "--stack", who === "bare" ? "bare" : "full", "--auth", who === "bare" ? "none" : "sigv4",
        "--connections", proto === "h1" ? "32" : "2", "--streams", proto === "h1" ? "1" : "16",
        "--seconds", String(seconds), "--count", String(Math.max(2000, seconds * 12_000)),
      ];
      if (!opts.quick) for (const who of WHO) await runClient<Load>(CLIENT, args(who, 1), 120_000);
      const runs: Record<Who, Measured[]> = { baseline: [], bare: [], full: [] };
      for (let r = 0; r < opts.rounds; r++) {
        for (const who of rotation(WHO, r)) {
          const cpu0 = cpuMsOf(server[who].pid);
          const load = await runClient<Load>(CLIENT, args(who, opts.seconds), (opts.seconds + 120) * 1000);
          const cpuUs = ((cpuMsOf(server[who].pid) - cpu0) * 1000) / Math.max(1, load.requests);
          if (load.failures > 0) throw new Error(`${who} (${proto}): ${load.failures} failed requests of ${load.requests}`);
          runs[who].push({ ...load, cpuUs });
        }
      }
      const m = (who: Who, k: keyof Measured) => median(runs[who].map((x) => x[k]));
      const ratio = (who: Who) => median(runs[who].map((x, i) => x.rps / runs.baseline[i].rps));
      const cpuRatio = (who: Who) => median(runs[who].map((x, i) => runs.baseline[i].cpuUs / x.cpuUs));
      const label = proto === "h1" ? "HTTP/1.1" : "HTTP/2 (h2c)";
      for (const who of WHO) {
        table.rows.push([label, LABEL[who], round(m(who, "rps"), 0), round(m(who, "p50")), round(m(who, "p99")), round(m(who, "cpuUs"), 0), round(ratio(who)).toFixed(2), round(cpuRatio(who)).toFixed(2)]);
      }
      targets.push({
        name: `Echo Converse with the full policy stack, ${label}`, target: "≥ 0.65× bare node",
        measured: `${round(ratio("full")).toFixed(2)}× req/s, ${round(cpuRatio("full")).toFixed(2)}× req per CPU-s`, met: ratio("full") >= 0.65,
      });
    }
    notes.push("Full policy stack as in scenario 8, in front of the built-in echo model: SigV4, RPM+TPM quotas, a cache miss per request (and the answer stored), the guardrail's word and PII policies on input and output, the ledger row and metrics.");
    notes.push("The HTTP/2 load comes from a node:http2 client (h2load cannot send a different signed body per request); its own CPU shares the machine with the server, which narrows the gap between contenders. The CPU-per-request ratio does not have that bias.");
    return { id: "echo-policy-stack", title: "11. Echo Converse with the full policy stack vs bare Node", tables: [table], targets, notes };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
