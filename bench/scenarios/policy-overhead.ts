// Scenario 6: what the resilience and cache policies add to a call that needs none of them — a cache miss, one
// target, no failure. One OpenAI-compatible upstream on loopback (canned reply, zero think time); the same
// Converse load (autocannon, HTTP/1.1, a fresh random id in every body so every request misses the cache)
// goes (a) straight to the upstream as chat completions, (b) through Basalt's one-target form, as before
// issue 12, and (c) through Basalt's `targets` form with one target — retry, breaker, per-attempt timeout —
// and the response cache on (every request a miss, and its answer stored).
import { autocannon, type LoadResult } from "../lib/load.js";
import { chatBody, SHORT_TEXT } from "../lib/prompts.js";
import { startBasalt, startBenchServer, type RunOptions } from "../lib/contenders.js";
import { median, round } from "../lib/stats.js";
import type { Server } from "../lib/processes.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const CONNECTIONS = 16;
type Who = "direct" | "plain" | "policies";
const LABEL: Record<Who, string> = {
  direct: "(a) upstream directly",
  plain: "(b) Basalt, one-target model, no cache",
  policies: "(c) Basalt, `targets` model + response cache (miss)",
};

/** A Converse body whose text carries autocannon's per-request id, so no two requests are the same. */
const MISSING_BODY = JSON.stringify({
  messages: [{ role: "user", content: [{ text: `${SHORT_TEXT} [<id>]` }] }],
  inferenceConfig: { maxTokens: 512, temperature: 0.5 },
});

const config = (baseUrl: string, policies: boolean) => `providers:
  up: { type: openai, baseUrl: "${baseUrl}" }
models:
${policies
    ? `  - id: bench-model
    targets: [{ provider: up, model: bench-model }]
    retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 8000 }
    breaker: { failures: 5, cooldownMs: 30000 }
    timeoutMs: 60000
cache: { ttlSeconds: 300, maxEntries: 10000 }
`
    : `  - { id: bench-model, provider: up }
`}`;

interface Target6 { url: string; body: string }

async function check(name: string, t: Target6, expectCache?: string): Promise<void> {
  const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: t.body.replace("[<id>]", String(Math.random())) });
  const text = await res.text();
  if (res.status !== 200 || !text.includes("Paris")) throw new Error(`${name} answered ${res.status}: ${text.slice(0, 500)}`);
  if (res.headers.get("x-basalt-cache") !== (expectCache ?? null)) throw new Error(`${name}: x-basalt-cache is ${res.headers.get("x-basalt-cache")}`);
}

export async function policyOverhead(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const upstream = await startBenchServer("openai-upstream", "openai-upstream.ts");
    servers.push(upstream);
    const baseUrl = `${upstream.url}/v1`;
    const plain = await startBasalt("basalt-plain", opts, config(baseUrl, false));
    servers.push(plain);
    const policies = await startBasalt("basalt-policies", opts, config(baseUrl, true));
    servers.push(policies);

    const targets: Record<Who, Target6> = {
      direct: { url: `${baseUrl}/chat/completions`, body: chatBody(false) },
      plain: { url: `${plain.url}/model/bench-model/converse`, body: MISSING_BODY },
      policies: { url: `${policies.url}/model/bench-model/converse`, body: MISSING_BODY },
    };
    await check("direct", targets.direct);
    await check("plain", targets.plain);
    await check("policies", targets.policies, "miss");
    const load = (who: Who, durationSec: number) => autocannon({ ...targets[who], connections: CONNECTIONS, durationSec, idReplacement: who !== "direct" });
    if (!opts.quick) for (const who of ["direct", "plain", "policies"] as const) await load(who, 1);

    const results: Record<Who, LoadResult[]> = { direct: [], plain: [], policies: [] };
    const order: Who[] = ["direct", "plain", "policies"];
    for (let r = 0; r < opts.rounds; r++) {
      for (let i = 0; i < order.length; i++) {
        const who = order[(i + r) % order.length];
        const res = await load(who, opts.seconds);
        if (res.failures > 0) throw new Error(`${who}: ${res.failures} failed requests of ${res.requests}`);
        results[who].push(res);
      }
    }
    const m = (who: Who, k: keyof LoadResult) => median(results[who].map((x) => x[k]));
    const added = (who: Who, k: "p50" | "p99") => median(results[who].map((x, i) => x[k] - results.direct[i][k]));
    const table: Table = {
      caption: `Converse through Basalt to a zero-latency OpenAI-compatible upstream, ${CONNECTIONS} concurrent connections (HTTP/1.1, autocannon), every body different (a cache miss each), ${opts.seconds} s × ${opts.rounds} rounds`,
      columns: ["Path", "req/s", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms"],
      rows: order.map((who) => [
        LABEL[who], round(m(who, "rps"), 0), round(m(who, "p50")), round(m(who, "p99")),
        who === "direct" ? "—" : round(added(who, "p50")), who === "direct" ? "—" : round(added(who, "p99")),
      ]),
    };
    const throughput = median(results.policies.map((x, i) => x.rps / results.plain[i].rps));
    const addedRatio = added("policies", "p50") / Math.max(added("plain", "p50"), 0.001);
    const goals: Target[] = [
      {
        name: "added p50 latency, policy stack vs one-target model",
        target: "within 10 %",
        measured: `${round(added("policies", "p50"))} vs ${round(added("plain", "p50"))} ms (${round(addedRatio).toFixed(2)}×)`,
        met: addedRatio <= 1.1,
      },
      { name: "throughput, policy stack vs one-target model", target: "≥ 0.90×", measured: `${round(throughput).toFixed(2)}×`, met: throughput >= 0.9 },
    ];
    return {
      id: "policy-overhead",
      title: "7. Policy stack: targets model + response cache (miss) vs one-target model",
      tables: [table],
      targets: goals,
      notes: [
        "The policy stack per call: a canonical-JSON SHA-256 cache key and a store lookup (memory LRU), the routed model (breaker check, one try, its per-attempt timer), and the answer stored in the cache before it is sent.",
        "Added latency = the path's latency minus the direct call's in the same round (median over rounds); autocannon reports latency at 1 ms resolution, so a 10 % difference in a few-ms figure is at the edge of what it resolves: the req/s ratio is the finer measure.",
      ],
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
