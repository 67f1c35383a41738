// Scenario 4: Basalt's resident memory while it holds many ConverseStream requests open against a slow
// upstream (SSE chunks trickled), and after they end: it must come back near its idle footprint.
import { rssOf, runClient, type Server } from "../lib/processes.js";
import { startBasalt, startBenchServer, type RunOptions } from "../lib/contenders.js";
import { round } from "../lib/stats.js";
import type { ScenarioResult, Target } from "../lib/report.js";

const CLIENT = "bench/clients/open-streams.ts";
const STREAMS = 1000;
const MiB = 2 ** 20;
// Round 2's method: RSS 30 s after the streams end (quick: 2 s), whatever the server does before.
const SETTLE_MS = (quick: boolean) => (quick ? 2_000 : 30_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface OpenStreams { streams: number; failed: number; firstError?: string; events: number; ms: number }

export async function memoryOpenStreams(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  // 18 SSE events per stream: at 250 ms apart a stream stays open ~4.5 s (quick: 50 ms, ~0.9 s).
  const trickleMs = opts.quick ? 50 : 250;
  try {
    const upstream = await startBenchServer("slow-upstream", "openai-upstream.ts", ["--trickle-ms", String(trickleMs)]);
    servers.push(upstream);
    const basalt = await startBasalt("basalt-memory", opts, `providers:\n  up:\n    type: openai\n    baseUrl: "${upstream.url}/v1"\nmodels:\n  - id: bench-model\n    provider: up\n`);
    servers.push(basalt);
    const rss = () => {
      const { exitCode, signalCode } = basalt.process;
      if (exitCode !== null || signalCode !== null) throw new Error(`Basalt exited (${signalCode ?? exitCode}):\n${basalt.output().slice(-3000)}`);
      return rssOf(basalt.pid);
    };

    const coldIdle = rss();
    // Warm-up: code paths compiled, pools and buffers allocated, as in a server that has served traffic.
    const warm = await runClient<OpenStreams>(CLIENT, ["--url", basalt.url, "--count", "50"], 60_000);
    if (warm.failed) throw new Error(`warm-up streams failed: ${warm.firstError}`);
    await sleep(opts.quick ? 500 : 3000);
    const soonAfterWarmUp = rss();
    // Idle is measured as "after" is: once the server has had the same 30 s to settle (quick: 2 s).
    await sleep(SETTLE_MS(opts.quick) - (opts.quick ? 500 : 3000));
    const idle = rss();

    let peak = 0;
    let atOpen = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
    const result = await runClient<OpenStreams>(CLIENT, ["--url", basalt.url, "--count", String(STREAMS)], 120_000, (line) => {
      if (line.startsWith("open ")) atOpen = rss();
    });
    clearInterval(sampler);
    if (result.failed) throw new Error(`${result.failed} of ${STREAMS} streams failed: ${result.firstError}`);

    const settleMs = SETTLE_MS(opts.quick);
    const endedAt = Date.now();
    await sleep(settleMs);
    const after = rss();
    const settledIn = Date.now() - endedAt;

    // A second identical burst tells retention from a leak: retained memory is reused (RSS stays put),
    // leaked memory adds up burst after burst.
    let peak2 = 0;
    const sampler2 = setInterval(() => (peak2 = Math.max(peak2, rss())), 50);
    const second = await runClient<OpenStreams>(CLIENT, ["--url", basalt.url, "--count", String(STREAMS)], 120_000);
    clearInterval(sampler2);
    if (second.failed) throw new Error(`${second.failed} of ${STREAMS} streams failed in the second burst: ${second.firstError}`);
    const ended2 = Date.now();
    let after2 = rss();
    while (Date.now() - ended2 < settleMs && after2 > after * 1.05) {
      await sleep(250);
      after2 = rss();
    }
    const mib = (n: number) => round(n / MiB, 1);
    const targets: Target[] = [
      { name: `RSS with ${STREAMS} open streams (peak)`, target: "< 200 MB", measured: `${round(peak / 1e6, 1)} MB`, met: peak < 200e6 },
      { name: `Idle RSS (${round(SETTLE_MS(opts.quick) / 1000, 0)} s after a warm-up of 50 streams)`, target: "≤ 100 MB", measured: `${round(idle / 1e6, 1)} MB (cold: ${round(coldIdle / 1e6, 1)} MB)`, met: idle <= 100e6 },
      { name: `RSS ${round(settleMs / 1000, 0)} s after the streams end`, target: "within 20 % of idle", measured: `${mib(after)} MiB vs ${mib(idle)} MiB idle (${round((after / idle - 1) * 100, 1)} %)`, met: after <= idle * 1.2 },
      { name: "No growth from a second burst (leak check)", target: "within 10 % of the first", measured: `${mib(after2)} MiB vs ${mib(after)} MiB`, met: after2 <= after * 1.1 },
    ];
    return {
      id: "memory-open-streams",
      title: `4. Memory: ${STREAMS} concurrent ConverseStream requests held open`,
      tables: [{
        caption: `Basalt's RSS (/proc) with ${STREAMS} ConverseStream requests (HTTP/1.1, one connection each) through the \`openai\` provider to an upstream trickling 18 SSE events ${trickleMs} ms apart`,
        columns: ["Moment", "RSS MiB"],
        rows: [
          ["cold idle (just started)", mib(coldIdle)],
          ["3 s after a warm-up of 50 streams", mib(soonAfterWarmUp)],
          [`idle: ${round(SETTLE_MS(opts.quick) / 1000, 0)} s after the warm-up`, mib(idle)],
          [`all ${STREAMS} streams open (first event received)`, mib(atOpen)],
          ["peak while open", mib(peak)],
          [`after they end (+${round(settledIn / 1000, 1)} s)`, mib(after)],
          [`second burst of ${STREAMS}: peak`, mib(peak2)],
          [`after the second burst (+${round((Date.now() - ended2) / 1000, 1)} s)`, mib(after2)],
        ],
      }],
      targets,
      notes: [`${result.streams} streams, ${result.events} events delivered, all ended with metadata; ${STREAMS} client connections and up to ${STREAMS} upstream connections were open at the peak.`],
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
