// Latency at concurrency 1: --count requests one after another over one keep-alive HTTP/1.1 connection,
// each timed with the monotonic clock from the request's last byte written to (JSON) the response's last
// byte or (--stream) the first content frame. Requests are built and signed before the clock starts.
// Prints one JSON line: p50/p99 in µs (and, for streams, the p50/p99 of the whole stream).
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { buildPlan, type PlannedRequest } from "../lib/request-plan.js";
import { eventStreamSplitter, sseSplitter } from "../lib/frames.js";
import { percentile } from "../lib/stats.js";
import type { AuthMode } from "../lib/sign.js";
import type { Stack } from "../lib/policy-stack.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    kind: { type: "string", default: "converse" },
    model: { type: "string", default: "bench-model" },
    stack: { type: "string", default: "bare" },
    auth: { type: "string", default: "none" },
    "portkey-upstream": { type: "string" },
    stream: { type: "boolean", default: false },
    count: { type: "string", default: "200" },
    warmup: { type: "string", default: "50" },
  },
});
const count = Number(values.count);
const warmup = Number(values.warmup);
const base = new URL(values.url!);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Timing { firstUs: number; totalUs: number }

function once(r: PlannedRequest): Promise<Timing> {
  return new Promise((resolve, reject) => {
    let started = 0n;
    let first = 0n;
    const req = request({ agent, host: base.hostname, port: base.port, method: "POST", path: r.path, headers: { ...r.headers, "content-length": Buffer.byteLength(r.body) } }, (res) => {
      if (res.statusCode !== 200) {
        let text = "";
        res.on("data", (c: Buffer) => (text += c));
        res.on("end", () => reject(new Error(`status ${res.statusCode}: ${text.slice(0, 300)}`)));
        return;
      }
      const mark = () => {
        if (first === 0n) first = process.hrtime.bigint();
      };
      const splitter = values.kind === "chat" ? sseSplitter(mark) : eventStreamSplitter(mark);
      res.on("data", (c: Buffer) => {
        if (values.stream) splitter.push(c);
      });
      res.on("end", () => {
        const end = process.hrtime.bigint();
        if (values.stream && first === 0n) return reject(new Error("stream ended without a content frame"));
        resolve({ firstUs: Number((values.stream ? first : end) - started) / 1000, totalUs: Number(end - started) / 1000 });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(r.body, () => (started = process.hrtime.bigint()));
  });
}

async function main(): Promise<void> {
  const plan = await buildPlan({
    url: values.url!, kind: values.kind as "chat" | "converse", stream: values.stream!, model: values.model,
    stack: values.stack as Stack, auth: values.auth as AuthMode, portkeyUpstream: values["portkey-upstream"], count: count + warmup,
  });
  for (let i = 0; i < warmup; i++) await once(plan[i]);
  const first: number[] = [];
  const total: number[] = [];
  for (let i = warmup; i < plan.length; i++) {
    const t = await once(plan[i]);
    first.push(t.firstUs);
    total.push(t.totalUs);
  }
  first.sort((a, b) => a - b);
  total.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ count, p50Us: percentile(first, 50), p99Us: percentile(first, 99), totalP50Us: percentile(total, 50), totalP99Us: percentile(total, 99) })}\n`);
  agent.destroy();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
