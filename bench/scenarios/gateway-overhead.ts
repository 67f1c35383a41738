// Scenario 3: what a gateway adds. One OpenAI-compatible upstream on loopback (canned reply, zero think
// time); the same load (autocannon, HTTP/1.1) goes (a) straight to it, (b) through Basalt's `openai`
// provider as Converse / ConverseStream, (c) through Portkey's gateway as chat completions.
import { autocannon, type LoadResult } from "../lib/load.js";
import { chatBody, converseBody, SHORT_TEXT } from "../lib/prompts.js";
import { portkeyHeaders, startBasalt, startBenchServer, startPortkey, type RunOptions } from "../lib/contenders.js";
import { median, round } from "../lib/stats.js";
import type { Server } from "../lib/processes.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CONNECTIONS = 16;
type Who = "direct" | "basalt" | "portkey";
const LABEL: Record<Who, string> = { direct: "(a) upstream directly", basalt: "(b) Basalt `openai` provider", portkey: "(c) Portkey gateway" };

interface Target3 { url: string; body: string; headers?: Record<string, string> }

async function check(name: string, t: Target3, expect: string): Promise<void> {
  const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...t.headers }, body: t.body });
  const text = await res.text();
  if (res.status !== 200 || !text.includes(expect)) throw new Error(`${name} answered ${res.status}: ${text.slice(0, 500)}`);
}

export async function gatewayOverhead(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const upstream = await startBenchServer("openai-upstream", "openai-upstream.ts");
    servers.push(upstream);
    const baseUrl = `${upstream.url}/v1`;
    const basalt = await startBasalt("basalt-gateway", opts, `providers:\n  up:\n    type: openai\n    baseUrl: "${baseUrl}"\nmodels:\n  - id: bench-model\n    provider: up\n`);
    servers.push(basalt);
    const portkey = await startPortkey();
    servers.push(portkey);

    const modes = {
      JSON: {
        direct: { url: `${baseUrl}/chat/completions`, body: chatBody(false) },
        basalt: { url: `${basalt.url}/model/bench-model/converse`, body: converseBody(SHORT_TEXT) },
        portkey: { url: `${portkey.url}/v1/chat/completions`, body: chatBody(false), headers: portkeyHeaders(baseUrl) },
      },
      Stream: {
        direct: { url: `${baseUrl}/chat/completions`, body: chatBody(true) },
        basalt: { url: `${basalt.url}/model/bench-model/converse-stream`, body: converseBody(SHORT_TEXT) },
        portkey: { url: `${portkey.url}/v1/chat/completions`, body: chatBody(true), headers: portkeyHeaders(baseUrl) },
      },
    } satisfies Record<string, Record<Who, Target3>>;
    for (const [mode, targets] of Object.entries(modes)) {
      for (const who of ["direct", "basalt", "portkey"] as const) {
        await check(`${who} ${mode}`, targets[who], mode === "Stream" && who === "basalt" ? "messageStop" : "Paris");
        // Warm-up: connection pools and JIT on every hop (quick runs only check the harness).
        if (!opts.quick) await autocannon({ ...targets[who], connections: CONNECTIONS, durationSec: 1 });
      }
    }

    const table: Table = {
      caption: `Chat through a gateway to a zero-latency OpenAI-compatible upstream, ${CONNECTIONS} concurrent connections (HTTP/1.1, autocannon), ${opts.seconds} s × ${opts.rounds} rounds; 16-token reply (streamed as 16 SSE content chunks)`,
      columns: ["Mode", "Path", "req/s", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms"],
      rows: [],
    };
    const goals: Target[] = [];
    for (const [mode, targets] of Object.entries(modes)) {
      const results: Record<Who, LoadResult[]> = { direct: [], basalt: [], portkey: [] };
      const order: Who[] = ["direct", "basalt", "portkey"];
      for (let r = 0; r < opts.rounds; r++) {
        for (let i = 0; i < order.length; i++) {
          const who = order[(i + r) % order.length];
          const res = await autocannon({ ...targets[who], connections: CONNECTIONS, durationSec: opts.seconds });
          if (res.failures > 0) throw new Error(`${who} ${mode}: ${res.failures} failed requests of ${res.requests}`);
          results[who].push(res);
        }
      }
      const m = (who: Who, k: keyof LoadResult) => median(results[who].map((x) => x[k]));
      const added = (who: Who, k: "p50" | "p99") => median(results[who].map((x, i) => x[k] - results.direct[i][k]));
      for (const who of order) {
        table.rows.push([
          mode, LABEL[who], round(m(who, "rps"), 0), round(m(who, "p50")), round(m(who, "p99")),
          who === "direct" ? "—" : round(added(who, "p50")), who === "direct" ? "—" : round(added(who, "p99")),
        ]);
      }
      const ratio = added("basalt", "p50") / added("portkey", "p50");
      goals.push({
        name: `${mode}: added p50, Basalt vs Portkey`, target: "≤ 0.5×",
        measured: `${round(added("basalt", "p50"))} vs ${round(added("portkey", "p50"))} ms (${round(ratio).toFixed(2)}×)`, met: ratio <= 0.5,
      });
      goals.push({
        name: `${mode}: throughput, Basalt vs Portkey`, target: "higher",
        measured: `${round(m("basalt", "rps"), 0)} vs ${round(m("portkey", "rps"), 0)} req/s`, met: m("basalt", "rps") > m("portkey", "rps"),
      });
    }
    return {
      id: "gateway-overhead",
      title: "3. Gateway overhead: Basalt vs Portkey in front of the same upstream",
      tables: [table],
      targets: goals,
      notes: [
        "Added latency = the path's latency minus the direct call's in the same round (median over rounds). autocannon reports latency at 1 ms resolution.",
        "Basalt translates Converse ⇄ Chat Completions (and SSE → event-stream frames); Portkey relays Chat Completions as they are, so Basalt does more work per request.",
        "Portkey's stream reader waits 25 ms (a setTimeout in its build) before passing on the first SSE chunk; that is part of its streamed latency.",
        "Portkey runs `node build/start-server.js --headless` with NODE_ENV=production and a one-line fetch shim (bench/servers/portkey-fetch-shim.mjs) without which its streaming fails on this Node/hono version.",
      ],
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
