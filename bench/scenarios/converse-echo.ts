// Scenario 1: Converse on the echo model, Basalt vs a bare node:http / node:http2 server doing the same
// JSON work, over HTTP/1.1 (autocannon) and cleartext HTTP/2 (h2load, prior knowledge like the JS SDK).
import { autocannon, h2load, h2loadMissing, type LoadResult } from "../lib/load.js";
import { converseBody, SHORT_TEXT } from "../lib/prompts.js";
import { startBasalt, startBenchServer, type RunOptions } from "../lib/contenders.js";
import { median, round } from "../lib/stats.js";
import type { Server } from "../lib/processes.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const PATH = "/model/basalt.echo/converse";
const H1_CONNECTIONS = 32;
const H2_CONNECTIONS = 2;
const H2_STREAMS = 16;

/** One request through fetch first: a contender that answers wrongly must not be measured. */
async function checkReply(url: string): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: converseBody(SHORT_TEXT) });
  const json = (await res.json()) as { output?: { message?: { content?: { text?: string }[] } } };
  if (res.status !== 200 || json.output?.message?.content?.[0]?.text !== SHORT_TEXT) {
    throw new Error(`${url} answered ${res.status} ${JSON.stringify(json)}`);
  }
}

interface Pair { basalt: LoadResult[]; baseline: LoadResult[] }

async function alternate(label: string, rounds: number, measure: (who: "basalt" | "baseline") => Promise<LoadResult>): Promise<Pair> {
  const pair: Pair = { basalt: [], baseline: [] };
  for (let r = 0; r < rounds; r++) {
    // ABBA order so neither contender always runs on the warmer (or noisier) side of a round.
    const order = r % 2 === 0 ? (["basalt", "baseline"] as const) : (["baseline", "basalt"] as const);
    for (const who of order) {
      const result = await measure(who);
      if (result.failures > 0) throw new Error(`${who} (${label}): ${result.failures} failed requests out of ${result.requests}`);
      pair[who].push(result);
    }
  }
  return pair;
}

function rows(protocol: string, pair: Pair): { rows: (string | number)[][]; ratio: number } {
  const m = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k]));
  const ratio = median(pair.basalt.map((b, i) => b.rps / pair.baseline[i].rps));
  return {
    ratio,
    rows: [
      [protocol, "bare node baseline", round(m(pair.baseline, "rps"), 0), round(m(pair.baseline, "p50")), round(m(pair.baseline, "p99")), "1.00"],
      [protocol, "Basalt", round(m(pair.basalt, "rps"), 0), round(m(pair.basalt, "p50")), round(m(pair.basalt, "p99")), round(ratio).toFixed(2)],
    ],
  };
}

export async function converseEcho(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const basalt = await startBasalt("basalt-converse-echo", opts);
    servers.push(basalt);
    const h1 = await startBenchServer("baseline-h1", "baseline-converse.ts");
    servers.push(h1);
    const h2 = await startBenchServer("baseline-h2", "baseline-converse.ts", ["--h2"]);
    servers.push(h2);
    await checkReply(basalt.url + PATH);
    await checkReply(h1.url + PATH);

    const body = converseBody(SHORT_TEXT);
    const table: Table = {
      caption: `Converse, echo model, ${H1_CONNECTIONS} concurrent requests (HTTP/1.1: ${H1_CONNECTIONS} connections; HTTP/2: ${H2_CONNECTIONS} connections × ${H2_STREAMS} streams), ${opts.seconds} s × ${opts.rounds} rounds`,
      columns: ["Protocol", "Server", "req/s", "p50 ms", "p99 ms", "Basalt/baseline"],
      rows: [],
    };
    const targets: Target[] = [];
    const notes: string[] = [];

    const urlOf = (who: "basalt" | "baseline", base: Server) => (who === "basalt" ? basalt.url : base.url) + PATH;
    // Warm both up (JIT, connection setup) before anything is measured.
    if (!opts.quick) {
      for (const who of ["basalt", "baseline"] as const) {
        await autocannon({ url: urlOf(who, h1), body, connections: H1_CONNECTIONS, durationSec: 1 });
      }
    }
    const p1 = await alternate("HTTP/1.1", opts.rounds, (who) => autocannon({ url: urlOf(who, h1), body, connections: H1_CONNECTIONS, durationSec: opts.seconds }));
    const r1 = rows("HTTP/1.1", p1);
    table.rows.push(...r1.rows);
    targets.push({ name: "Converse echo throughput, HTTP/1.1", target: "≥ 0.70× bare node:http", measured: `${round(r1.ratio).toFixed(2)}×`, met: r1.ratio >= 0.7 });

    const missing = h2loadMissing();
    if (missing) {
      notes.push(`HTTP/2 rows skipped: ${missing}`);
    } else {
      const spec = (who: "basalt" | "baseline") => ({ url: urlOf(who, h2), body, connections: H2_CONNECTIONS, streams: H2_STREAMS, durationSec: opts.seconds, warmUpSec: opts.quick ? 0 : 1 });
      const p2 = await alternate("HTTP/2", opts.rounds, (who) => h2load(spec(who)));
      const r2 = rows("HTTP/2 (h2c)", p2);
      table.rows.push(...r2.rows);
      targets.push({ name: "Converse echo throughput, HTTP/2", target: "≥ 0.70× bare node:http2", measured: `${round(r2.ratio).toFixed(2)}×`, met: r2.ratio >= 0.7 });
    }
    notes.push("Baseline: node:http / node:http2 reading the body, JSON.parse, and a Converse-shaped JSON reply echoing the text — no routing, validation or model layer.");
    return { id: "converse-echo", title: "1. Converse, echo model: Basalt vs bare Node", tables: [table], targets, notes };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
