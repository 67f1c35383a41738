// Scenario 2: ConverseStream on the echo model with a long reply (one contentBlockDelta per token),
// Basalt vs a server writing the same frames pre-encoded. The client decodes every frame.
import { runClient, type Server } from "../lib/processes.js";
import { startBasalt, startBenchServer, type RunOptions } from "../lib/contenders.js";
import { median, round } from "../lib/stats.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CLIENT = "bench/clients/stream-client.ts";
const WORDS = 2000;
const CONCURRENCY = 4;

interface Throughput { eventsPerSec: number; streams: number }
interface FirstEvent { p50: number; p99: number }
type Who = "basalt" | "baseline";

export async function converseStreamEcho(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const basalt = await startBasalt("basalt-converse-stream", opts);
    servers.push(basalt);
    const baseH1 = await startBenchServer("baseline-stream-h1", "baseline-stream.ts", ["--words", String(WORDS)]);
    servers.push(baseH1);
    const baseH2 = await startBenchServer("baseline-stream-h2", "baseline-stream.ts", ["--words", String(WORDS), "--h2"]);
    servers.push(baseH2);

    const count = opts.quick ? 10 : 60;
    const table: Table = {
      caption: `ConverseStream, echo model, ${WORDS}-token reply (${WORDS + 4} events per stream); throughput at ${CONCURRENCY} concurrent streams for ${opts.seconds} s × ${opts.rounds} rounds; first event over ${count} sequential requests`,
      columns: ["Protocol", "Server", "events/s", "streams/s", "first event p50 ms", "first event p99 ms", "events/s Basalt/baseline"],
      rows: [],
    };
    const targets: Target[] = [];
    for (const proto of ["h2", "h1"] as const) {
      const urlOf = (who: Who) => (who === "basalt" ? basalt.url : proto === "h2" ? baseH2.url : baseH1.url);
      const tput: Record<Who, Throughput[]> = { basalt: [], baseline: [] };
      const first: Record<Who, FirstEvent[]> = { basalt: [], baseline: [] };
      for (let r = 0; r < opts.rounds; r++) {
        const order: Who[] = r % 2 === 0 ? ["basalt", "baseline"] : ["baseline", "basalt"];
        for (const who of order) {
          const common = ["--url", urlOf(who), "--proto", proto, "--words", String(WORDS)];
          tput[who].push(await runClient<Throughput>(CLIENT, [...common, "--mode", "throughput", "--concurrency", String(CONCURRENCY), "--seconds", String(opts.seconds)], (opts.seconds + 60) * 1000));
          first[who].push(await runClient<FirstEvent>(CLIENT, [...common, "--mode", "first-event", "--count", String(count)], 120_000));
        }
      }
      const label = proto === "h2" ? "HTTP/2 (h2c)" : "HTTP/1.1";
      const ratio = median(tput.basalt.map((b, i) => b.eventsPerSec / tput.baseline[i].eventsPerSec));
      for (const who of ["baseline", "basalt"] as const) {
        const eps = median(tput[who].map((t) => t.eventsPerSec));
        table.rows.push([
          label, who === "basalt" ? "Basalt" : "pre-encoded baseline", round(eps, 0), round(eps / (WORDS + 4), 1),
          round(median(first[who].map((f) => f.p50)), 3), round(median(first[who].map((f) => f.p99)), 3),
          who === "basalt" ? round(ratio).toFixed(2) : "1.00",
        ]);
      }
      const eps = median(tput.basalt.map((t) => t.eventsPerSec));
      targets.push({ name: `ConverseStream events/s, ${label}`, target: "≥ 50,000 events/s", measured: `${round(eps, 0)}`, met: eps >= 50_000 });
      // The client-side floor (send, loopback, receive, decode) is what the baseline measures; what Basalt
      // adds on top of it is its time from the request's arrival to the first event on the wire.
      const fe = median(first.basalt.map((f) => f.p50));
      const added = median(first.basalt.map((f, i) => f.p50 - first.baseline[i].p50));
      targets.push({
        name: `First event, ${label}: Basalt's p50 minus the baseline's (time added after arrival)`, target: "≤ 1 ms",
        measured: `${round(added, 3)} ms (client-measured ${round(fe, 3)} ms)`, met: added <= 1,
      });
    }
    return {
      id: "converse-stream-echo",
      title: "2. ConverseStream, echo model: Basalt vs pre-encoded frames",
      tables: [table],
      targets,
      notes: [
        "events/s are counted at the client after decoding each frame (prelude and message CRCs checked, JSON parsed); client and server share the machine's two cores.",
        "First event is measured at the client, from writing the request (a 2,000-word prompt) to the first decoded frame, so it includes the client's own send/receive path; the baseline row shows that floor.",
      ],
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
