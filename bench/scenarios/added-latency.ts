// Round 2, scenario 8: added latency at concurrency 1 (the published gateway method). One request at a time
// over a keep-alive connection to a zero-think-time upstream, timed on the client with µs resolution:
// JSON (to the answer's last byte) and streaming (to the first content frame). Added = the path's
// percentile minus the direct call's in the same round; the report takes the median over rounds.
import { runClient } from "../lib/processes.js";
import { CONTENDER_LABEL, rotation, startGateways, type Contender } from "../lib/gateways.js";
import { median, round } from "../lib/stats.js";
import type { RunOptions } from "../lib/contenders.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CLIENT = "bench/clients/latency-client.ts";
const WHO: readonly Contender[] = ["direct", "bare", "full", "fullBearer", "portkey"];
/** Requests of the unmeasured pass each contender gets before the first round (full runs). */
const JIT_WARMUP = 8000;

interface Latency { p50Us: number; p99Us: number }

export async function addedLatency(opts: RunOptions): Promise<ScenarioResult> {
  const set = await startGateways("latency", opts, ["--stamp", "--chunks", "16"], WHO);
  try {
    const count = opts.quick ? 100 : 2000;
    const warmup = opts.quick ? 20 : 300;
    const table: Table = {
      caption: `Concurrency 1, ${count} requests per contender per round (after ${warmup} unmeasured${opts.quick ? "" : `, and a first unmeasured pass of ${JIT_WARMUP} each`}), ${opts.rounds} round(s), HTTP/1.1 keep-alive; zero-think-time upstream; 16-token reply`,
      columns: ["Mode", "Path", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms"],
      rows: [],
    };
    const targets: Target[] = [];
    for (const stream of [false, true]) {
      const mode = stream ? "Stream (first content frame)" : "JSON";
      const runs: Record<Contender, Latency[]> = { direct: [], bare: [], full: [], fullBearer: [], portkey: [] };
      // One unmeasured pass per contender first: one request at a time, a JIT takes thousands of requests to
      // reach its steady state (Basalt's CPU per request fell by about half over its first 9,000; round 11).
      if (!opts.quick) {
        for (const who of WHO) {
          // Portkey holds each stream's first chunk 25 ms (see the notes): a shorter pass keeps the run's length sane.
          const passes = who === "portkey" && stream ? JIT_WARMUP / 8 : JIT_WARMUP;
          await runClient<Latency>(CLIENT, [...set.args(who), "--count", "100", "--warmup", String(passes), ...(stream ? ["--stream"] : [])], 300_000);
          set.checkAlive();
        }
      }
      for (let r = 0; r < opts.rounds; r++) {
        for (const who of rotation(WHO, r)) {
          const args = [...set.args(who), "--count", String(count), "--warmup", String(warmup), ...(stream ? ["--stream"] : [])];
          runs[who].push(await runClient<Latency>(CLIENT, args, 300_000));
          set.checkAlive();
        }
      }
      const ms = (us: number) => round(us / 1000, 3);
      const med = (who: Contender, k: keyof Latency) => median(runs[who].map((x) => x[k]));
      const added = (who: Contender, k: keyof Latency) => median(runs[who].map((x, i) => x[k] - runs.direct[i][k]));
      for (const who of WHO) {
        table.rows.push([
          mode, CONTENDER_LABEL[who], ms(med(who, "p50Us")), ms(med(who, "p99Us")),
          who === "direct" ? "—" : ms(added(who, "p50Us")), who === "direct" ? "—" : ms(added(who, "p99Us")),
        ]);
      }
      const full = added("full", "p99Us");
      const portkey = added("portkey", "p99Us");
      targets.push({ name: `${mode}: full stack, added p99`, target: "≤ 1 ms", measured: `${ms(full)} ms`, met: full <= 1000 });
      targets.push({
        name: `${mode}: full stack vs Portkey, added p99`, target: "≤ 0.3×",
        measured: `${ms(full)} vs ${ms(portkey)} ms (${round(full / portkey, 2)}×)`, met: full <= 0.3 * portkey,
      });
    }
    return {
      id: "added-latency",
      title: "8. Added latency at concurrency 1: Basalt bare, Basalt with the full policy stack, Portkey",
      tables: [table],
      targets,
      notes: [
        "Full policy stack: SigV4-verified key (the API-key row: a long-term Bedrock API key as Authorization: Bearer), RPM+TPM quotas on the key and the model (never refusing), response cache on with every request a miss (each body differs), a guardrail with a word and a PII policy on every call (streams in async mode), ledger (SQLite) + metrics on.",
        "Requests are built and signed before the clock starts; the client times from the request's last byte written to the answer's last byte (JSON) or to the first frame carrying a content token (streams).",
        "Portkey's stream reader waits 25 ms (a setTimeout in its build) before it passes on the first SSE chunk.",
      ],
    };
  } finally {
    await Promise.all(set.servers.map((s) => s.stop()));
  }
}
