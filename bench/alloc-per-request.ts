// `node --import tsx bench/alloc-per-request.ts [--stack full|bare] [--seconds 3] [--top 30] [--by function|file]`
// Bytes a Basalt process allocates per echo Converse, by allocation site: V8's sampling heap profiler, with
// objects already collected kept in the profile (so short-lived per-request garbage counts, which is what
// the young generation's scavenges pay for), over a closed-loop run of distinct signed requests (the same
// plan as scenario 11). Steadier than CPU time on a shared machine: allocation is what a change moves.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runClient, startServer, type Server } from "./lib/processes.js";
import { stackConfig, type Stack } from "./lib/policy-stack.js";

const { values } = parseArgs({
  options: {
    stack: { type: "string", default: "full" },
    seconds: { type: "string", default: "3" },
    top: { type: "string", default: "30" },
    by: { type: "string", default: "function" },
  },
});
const stack = values.stack as Stack;
const MODEL = "bench-echo";

// Loaded into Basalt with --require: SIGUSR2 starts sampling (every ~1 KiB allocated), the next one writes
// the profile next to this file and stops.
const PRELOAD = `
const inspector = require("node:inspector");
const { writeFileSync } = require("node:fs");
const session = new inspector.Session();
session.connect();
let sampling = false;
process.on("SIGUSR2", () => {
  if (!sampling) {
    sampling = true;
    session.post("HeapProfiler.startSampling", { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  } else {
    sampling = false;
    session.post("HeapProfiler.stopSampling", (err, result) => writeFileSync(process.env.ALLOC_PROFILE_OUT, JSON.stringify(err ? { error: String(err) } : result.profile)));
  }
});
`;

interface SamplingNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SamplingNode[] }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), "basalt-alloc-"));
const preload = join(dir, "sample-heap.cjs");
const config = join(dir, "basalt.yaml");
const out = join(dir, "heap.json");
writeFileSync(preload, PRELOAD);
writeFileSync(config, stackConfig(stack, MODEL));

let server: Server | undefined;
try {
  server = await startServer({
    name: "basalt-alloc",
    args: ["dist/cli.js", "--port", "0", "--config", config],
    ready: /"url":"http:\/\/127\.0\.0\.1:(\d+)"/,
    nodeFlags: ["--require", preload],
    env: { BASALT_LOG_LEVEL: "info", ALLOC_PROFILE_OUT: out },
  });
  const load = ["--url", server.url, "--proto", "h1", "--kind", "converse", "--model", MODEL, "--stack", stack, "--auth", stack === "full" ? "sigv4" : "none", "--connections", "32", "--count", "60000"];
  await runClient(CLIENT(), [...load, "--seconds", "2"], 60_000); // warm-up: JIT, pools
  process.kill(server.pid, "SIGUSR2");
  await sleep(300);
  const run = await runClient<{ requests: number; failures: number }>(CLIENT(), [...load, "--seconds", values.seconds!], 120_000);
  process.kill(server.pid, "SIGUSR2");
  let profile: { head: SamplingNode } | undefined;
  for (let i = 0; i < 50 && !profile; i++) {
    await sleep(100);
    try {
      profile = JSON.parse(readFileSync(out, "utf8")) as { head: SamplingNode };
    } catch {
      // not written yet
    }
  }
  if (!profile) throw new Error("Basalt wrote no heap profile");
  if (run.failures) throw new Error(`${run.failures} of ${run.requests} requests failed`);

  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, "$1/");
    const key = values.by === "file" ? file || functionName : `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    if (node.selfSize) {
      bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    node.children.forEach(walk);
  };
  walk(profile.head);
  console.log(`${stack} stack: ${run.requests} requests, ${Math.round(total / run.requests)} bytes allocated per request`);
  for (const [key, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${String(Math.round(bytes / run.requests)).padStart(7)}  ${key}`);
  }
} finally {
  await server?.stop();
}

function CLIENT(): string {
  return "bench/clients/plan-load.ts";
}
