// Round 2, scenario 10: paced streams (the published gateway method). The upstream sends 64 SSE content
// chunks 20 ms apart, each stamped with the upstream's monotonic clock as it is written. At 1 stream
// (repeated) and at 256 concurrent streams: added time to first token (p99) and added per-frame gap (p99),
// each the path's p99 minus the direct path's. Then rising counts of concurrent streams: the largest held
// with no dropped frame (every stream delivers all 64) and no late one (reaching the client > 100 ms after
// the upstream wrote it).
import { runClient } from "../lib/processes.js";
import { CONTENDER_LABEL, rotation, startGateways, type Contender } from "../lib/gateways.js";
import { median, round } from "../lib/stats.js";
import type { RunOptions } from "../lib/contenders.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CLIENT = "bench/clients/paced-streams.ts";
const WHO: readonly Contender[] = ["direct", "bare", "full", "portkey"];
const LATE_MS = 100;

interface Paced {
  streams: number; dropped: number; late: number; firstError?: string;
  ttftP50Us: number; ttftP99Us: number; gapP50Us: number; gapP99Us: number; delayP50Us: number; delayP99Us: number; delayMaxUs: number;
}

const ms = (us: number) => round(us / 1000, 3);

export async function pacedStreams(opts: RunOptions): Promise<ScenarioResult> {
  // Quick runs (a harness check) send 16 frames per stream.
  const FRAMES = opts.quick ? 16 : 64;
  const set = await startGateways("paced", opts, ["--stamp", "--chunks", String(FRAMES), "--trickle-ms", "20"], WHO);
  const paced = (who: Contender, count: number, repeat = 1) =>
    runClient<Paced>(CLIENT, [...set.args(who), "--count", String(count), "--repeat", String(repeat), "--frames", String(FRAMES), "--late-ms", String(LATE_MS)], 600_000);
  try {
    const concurrencies = opts.quick ? [1, 16] : [1, 256];
    const table: Table = {
      caption: `${FRAMES} SSE content chunks 20 ms apart per stream, HTTP/1.1, one connection per stream; ${opts.rounds} round(s); times on the client's monotonic clock, delays against the upstream's stamp (same clock)`,
      columns: ["Streams", "Path", "TTFT p99 ms", "gap p99 ms", "delay p99 ms", "added TTFT p99 ms", "added gap p99 ms", "dropped / late"],
      rows: [],
    };
    const targets: Target[] = [];
    for (const n of concurrencies) {
      const runs: Partial<Record<Contender, Paced[]>> = {};
      for (let r = 0; r < opts.rounds; r++) {
        // One stream at a time gives one TTFT sample per stream: repeat it for a p99 worth the name.
        for (const who of rotation(WHO, r)) (runs[who] ??= []).push(await paced(who, n, n === 1 ? (opts.quick ? 3 : Math.ceil(30 / opts.rounds)) : 1));
      }
      const med = (who: Contender, k: keyof Paced) => median(runs[who]!.map((x) => Number(x[k])));
      const added = (who: Contender, k: keyof Paced) => median(runs[who]!.map((x, i) => Number(x[k]) - Number(runs.direct![i][k])));
      for (const who of WHO) {
        const bad = runs[who]!.reduce((s, x) => s + x.dropped, 0);
        const late = runs[who]!.reduce((s, x) => s + x.late, 0);
        table.rows.push([
          n, CONTENDER_LABEL[who], ms(med(who, "ttftP99Us")), ms(med(who, "gapP99Us")), ms(med(who, "delayP99Us")),
          who === "direct" ? "—" : ms(added(who, "ttftP99Us")), who === "direct" ? "—" : ms(added(who, "gapP99Us")), `${bad} / ${late}`,
        ]);
      }
      for (const who of ["bare", "full"] as const) {
        const ttft = added(who, "ttftP99Us");
        const gap = added(who, "gapP99Us");
        targets.push({ name: `${n} stream(s), ${CONTENDER_LABEL[who]}: added TTFT p99`, target: "≤ 1 ms", measured: `${ms(ttft)} ms`, met: ttft <= 1000 });
        targets.push({ name: `${n} stream(s), ${CONTENDER_LABEL[who]}: added per-frame gap p99`, target: "≤ 50 µs", measured: `${round(gap, 0)} µs`, met: gap <= 50 });
      }
    }

    // Capacity: rising concurrent streams; each contender stops at its first count with a dropped or late frame.
    const counts = opts.quick ? [32] : [256, 512, 1024, 2048];
    const capacity: Table = {
      caption: `Concurrent paced streams (${FRAMES} frames each, 20 ms apart): dropped streams / late frames (> ${LATE_MS} ms after the upstream wrote them) / frame delay p99 ms`,
      columns: ["Streams", ...WHO.map((w) => CONTENDER_LABEL[w])],
      rows: [],
    };
    const held: Partial<Record<Contender, number>> = {};
    const stopped = new Set<Contender>();
    for (const [i, n] of counts.entries()) {
      const cells: Partial<Record<Contender, string>> = {};
      for (const who of rotation(WHO, i)) {
        if (stopped.has(who)) continue;
        const r = await paced(who, n);
        cells[who] = `${r.dropped} / ${r.late} / ${ms(r.delayP99Us)}${r.firstError ? ` (${r.firstError})` : ""}`;
        if (r.dropped === 0 && r.late === 0) held[who] = n;
        else stopped.add(who);
      }
      capacity.rows.push([n, ...WHO.map((w) => cells[w] ?? "—")]);
      if (stopped.size === WHO.length) break;
    }
    const summary = WHO.map((w) => `${CONTENDER_LABEL[w]}: ${held[w] ?? `< ${counts[0]}`}`).join("; ");
    const full = held.full ?? 0;
    targets.push({ name: "Concurrent streams held with no dropped or late frame, full policy stack", target: "≥ 512", measured: `${full || `< ${counts[0]}`} (${summary})`, met: full >= 512 });
    return {
      id: "paced-streams",
      title: "10. Paced streams: added TTFT, per-frame gap, concurrent streams held",
      tables: [table, capacity],
      targets,
      notes: [
        "TTFT: from the request's last byte written to the first frame carrying a content token. Gap: between consecutive content frames of one stream (the upstream paces them 20 ms apart). Delay: arrival minus the upstream's stamp.",
        "Added = the path's p99 minus the direct path's p99 in the same round (median over rounds). The direct row's late frames show where the client and upstream themselves fall behind on this machine.",
        `Stream counts tried: ${counts.join(", ")}. Every stream is its own HTTP/1.1 connection (plus one upstream connection per stream behind a gateway).`,
      ],
    };
  } finally {
    await Promise.all(set.servers.map((s) => s.stop()));
  }
}
