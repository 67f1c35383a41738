// Closed-loop load from a plan of distinct, pre-signed requests (every request a cache miss for a
// full-stack Basalt, every signature valid): --connections concurrent requests for --seconds.
//   --proto h1: autocannon (the harness's HTTP/1.1 load generator), one request in flight per connection,
//               each next request taken from the plan in turn.
//   --proto h2: node:http2, --connections sessions × --streams concurrent streams (the JS SDK multiplexes).
// Prints one JSON line: req/s, p50/p99 ms, requests, failures (non-2xx, errors, timeouts).
import { connect, constants, type ClientHttp2Session } from "node:http2";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { buildPlan, type PlannedRequest } from "../lib/request-plan.js";
import { percentile } from "../lib/stats.js";
import type { AuthMode } from "../lib/sign.js";
import type { Stack } from "../lib/policy-stack.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    proto: { type: "string", default: "h1" },
    kind: { type: "string", default: "converse" },
    model: { type: "string", default: "bench-model" },
    stack: { type: "string", default: "bare" },
    auth: { type: "string", default: "none" },
    "portkey-upstream": { type: "string" },
    connections: { type: "string", default: "16" },
    streams: { type: "string", default: "1" },
    seconds: { type: "string", default: "4" },
    /** Distinct requests to prepare; the plan is reused from the start when a run needs more. */
    count: { type: "string", default: "20000" },
    "timeout-sec": { type: "string", default: "10" },
  },
});

interface Result { rps: number; p50: number; p99: number; requests: number; failures: number }

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

async function h1(plan: PlannedRequest[]): Promise<Result> {
  const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
  let next = 0;
  const r = await autocannon({
    url: values.url,
    connections: Number(values.connections),
    duration: Number(values.seconds),
    timeout: Number(values["timeout-sec"]),
    requests: [{
      method: "POST",
      setupRequest: (req: Record<string, unknown>) => {
        const p = plan[next++ % plan.length];
        return { ...req, path: p.path, headers: p.headers, body: p.body };
      },
    }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, failures: r.non2xx + r.errors + r.timeouts };
}

async function h2(plan: PlannedRequest[]): Promise<Result> {
  const sessions: ClientHttp2Session[] = [];
  for (let i = 0; i < Number(values.connections); i++) {
    const s = connect(values.url!);
    s.on("error", () => {});
    sessions.push(s);
  }
  await Promise.all(sessions.map((s) => new Promise<void>((resolve, reject) => s.once("connect", () => resolve()).once("error", reject))));
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = Date.now() + Number(values.seconds) * 1000;
  const one = (session: ClientHttp2Session) =>
    new Promise<void>((resolve) => {
      const p = plan[next++ % plan.length];
      const started = process.hrtime.bigint();
      const stream = session.request({ [constants.HTTP2_HEADER_METHOD]: "POST", [constants.HTTP2_HEADER_PATH]: p.path, ...p.headers });
      let status = 0;
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.on("data", () => {});
      stream.on("end", () => {
        if (status === 200) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        else failures++;
        resolve();
      });
      stream.on("error", () => {
        failures++;
        resolve();
      });
      stream.end(p.body);
    });
  const started = process.hrtime.bigint();
  const worker = async (session: ClientHttp2Session) => {
    while (Date.now() < deadline) await one(session);
  };
  await Promise.all(sessions.flatMap((s) => Array.from({ length: Number(values.streams) }, () => worker(s))));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const s of sessions) s.close();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: latencies.length + failures, failures };
}

async function main(): Promise<void> {
  const plan = await buildPlan({
    url: values.url!, kind: values.kind as "chat" | "converse", stream: false, model: values.model,
    stack: values.stack as Stack, auth: values.auth as AuthMode, portkeyUpstream: values["portkey-upstream"], count: Number(values.count),
  });
  const result = values.proto === "h2" ? await h2(plan) : await h1(plan);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
