// `npm run bench [-- --quick] [--only converse-echo,gateway-overhead] [--rounds N] [--seconds N]
//   [--profile] [--no-build]`
// Builds Basalt, runs each scenario (contenders alternately, each in its own process), and writes
// bench/results/results.{md,json} (quick runs: bench/results/quick.{md,json}).
import { parseArgs } from "node:util";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { ROOT, killAll, run } from "./lib/processes.js";
import { machine, writeReport, type Report, type ScenarioResult } from "./lib/report.js";
import { h2loadMissing } from "./lib/load.js";
import { PORTKEY_SCRIPT, type RunOptions } from "./lib/contenders.js";
import { converseEcho } from "./scenarios/converse-echo.js";
import { converseStreamEcho } from "./scenarios/converse-stream-echo.js";
import { gatewayOverhead } from "./scenarios/gateway-overhead.js";
import { policyOverhead } from "./scenarios/policy-overhead.js";
import { memoryOpenStreams } from "./scenarios/memory-open-streams.js";
import { authOverhead } from "./scenarios/auth-overhead.js";
import { observabilityOverhead } from "./scenarios/observability-overhead.js";
import { addedLatency } from "./scenarios/added-latency.js";
import { sustainedThroughput } from "./scenarios/sustained-throughput.js";
import { pacedStreams } from "./scenarios/paced-streams.js";
import { echoPolicyStack } from "./scenarios/echo-policy-stack.js";

const SCENARIOS: Record<string, { title: string; run: (o: RunOptions) => Promise<ScenarioResult> }> = {
  "converse-echo": { title: "1. Converse, echo model", run: converseEcho },
  "converse-stream-echo": { title: "2. ConverseStream, echo model", run: converseStreamEcho },
  "gateway-overhead": { title: "3. Gateway overhead", run: gatewayOverhead },
  "memory-open-streams": { title: "4. Memory, 1,000 open streams", run: memoryOpenStreams },
  "auth-overhead": { title: "5. SigV4 verification on vs off", run: authOverhead },
  "observability-overhead": { title: "6. Observability: ledger + metrics on vs off", run: observabilityOverhead },
  "policy-overhead": { title: "7. Policy stack (targets + cache miss) vs one-target model", run: policyOverhead },
  "added-latency": { title: "8. Added latency at concurrency 1", run: addedLatency },
  "sustained-throughput": { title: "9. Sustained throughput against a 20 ms upstream", run: sustainedThroughput },
  "paced-streams": { title: "10. Paced streams: TTFT, per-frame gap, streams held", run: pacedStreams },
  "echo-policy-stack": { title: "11. Echo Converse with the full policy stack vs bare Node", run: echoPolicyStack },
};

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    rounds: { type: "string" },
    seconds: { type: "string" },
    profile: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});

async function main(): Promise<number> {
  const quick = values.quick!;
  const opts: RunOptions = {
    quick,
    rounds: Number(values.rounds ?? (quick ? 1 : 3)),
    seconds: Number(values.seconds ?? (quick ? 1 : 4)),
    profileDir: values.profile ? join(ROOT, "bench/results/profiles") : undefined,
  };
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean) ?? Object.keys(SCENARIOS);
  for (const id of only) if (!SCENARIOS[id]) throw new Error(`unknown scenario ${id}; known: ${Object.keys(SCENARIOS).join(", ")}`);

  const h2 = h2loadMissing();
  if (h2) console.warn(`warning: ${h2}. HTTP/2 load rows will be skipped.`);
  if (!existsSync(join(ROOT, PORTKEY_SCRIPT))) throw new Error(`Portkey's gateway is missing (${PORTKEY_SCRIPT}): run npm ci`);

  if (!values["no-build"]) {
    console.log("building Basalt (tsc)…");
    const b = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { timeoutMs: 180_000 });
    if (b.code !== 0) throw new Error(`build failed:\n${b.stdout}${b.stderr}`);
  }

  const report: Report = {
    date: new Date().toISOString(),
    quick,
    command: `npm run bench --${process.argv.slice(2).map((a) => ` ${a}`).join("")}`.replace(/ --$/, ""),
    machine: machine(),
    scenarios: [],
  };
  let failures = 0;
  for (const id of only) {
    const started = Date.now();
    console.log(`\n== ${SCENARIOS[id].title}`);
    try {
      const loadBefore = loadavg()[0];
      const result = await SCENARIOS[id].run(opts);
      // On a shared machine the neighbours' load decides how much the figures mean: say what it was.
      result.notes.push(`1-minute load average: ${loadBefore.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (${report.machine.cores} cores).`);
      report.scenarios.push(result);
      for (const t of result.tables) console.table(t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))));
      for (const t of result.targets) console.log(`  ${t.met ? "met   " : "MISSED"} ${t.name}: ${t.measured} (aim ${t.target})`);
    } catch (err) {
      failures++;
      console.error(`  FAILED: ${(err as Error).stack ?? err}`);
      report.scenarios.push({ id, title: SCENARIOS[id].title, tables: [], targets: [], notes: [], skipped: `failed: ${(err as Error).message}` });
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  const files = writeReport(join(ROOT, "bench/results"), quick ? "quick" : "results", report);
  console.log(`\nwrote ${files.join(", ")}`);
  return failures ? 1 : 0;
}

main().then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (err: Error) => {
    console.error(err.message);
    killAll();
    process.exit(1);
  },
);
