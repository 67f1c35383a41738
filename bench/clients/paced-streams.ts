// Concurrent paced streams: opens --count streamed requests at once (HTTP/1.1, a connection each, as that
// many separate callers would) to a path in front of the stamped upstream (64 SSE content chunks 20 ms
// apart, each carrying the upstream's clock when written), and reads every one to its end. Per stream:
// time to first token (request written → first content frame), the gaps between consecutive content
// frames, and each frame's delay (arrival − the upstream's stamp). Prints one JSON line with p50/p99s in
// µs, the streams that failed or lost frames (dropped) and the frames that arrived > --late-ms after the
// upstream wrote them (late).
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { buildPlan, type PlannedRequest } from "../lib/request-plan.js";
import { eventStreamSplitter, nowUs, sseSplitter } from "../lib/frames.js";
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
    count: { type: "string", default: "1" },
    frames: { type: "string", default: "64" },
    "late-ms": { type: "string", default: "100" },
    /** Sequential rounds of --count streams (more samples at low counts). */
    repeat: { type: "string", default: "1" },
  },
});
const base = new URL(values.url!);
const expected = Number(values.frames);
const lateUs = Number(values["late-ms"]) * 1000;
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

const ttft: number[] = [];
const gaps: number[] = [];
const delays: number[] = [];
let dropped = 0;
let late = 0;
let firstError: string | undefined;

function oneStream(r: PlannedRequest): Promise<void> {
  return new Promise((resolve) => {
    let started = 0;
    let frames = 0;
    let last = 0;
    const fail = (why: string) => {
      dropped++;
      firstError ??= why;
      resolve();
    };
    const req = request({ agent, host: base.hostname, port: base.port, method: "POST", path: r.path, headers: { ...r.headers, "content-length": Buffer.byteLength(r.body) } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return fail(`status ${res.statusCode}`);
      }
      const onStamp = (stamp: number) => {
        const now = nowUs();
        if (frames === 0) ttft.push(now - started);
        else gaps.push(now - last);
        const delay = now - stamp;
        delays.push(delay);
        if (delay > lateUs) late++;
        last = now;
        frames++;
      };
      const splitter = values.kind === "chat" ? sseSplitter(onStamp) : eventStreamSplitter(onStamp);
      res.on("data", (c: Buffer) => splitter.push(c));
      res.on("end", () => (frames === expected ? resolve() : fail(`${frames} of ${expected} content frames`)));
      res.on("error", (err) => fail(String(err)));
    });
    req.on("error", (err) => fail(String(err)));
    req.end(r.body, () => (started = nowUs()));
  });
}

async function main(): Promise<void> {
  const count = Number(values.count);
  const repeat = Number(values.repeat);
  const plan = await buildPlan({
    url: values.url!, kind: values.kind as "chat" | "converse", stream: true, model: values.model,
    stack: values.stack as Stack, auth: values.auth as AuthMode, portkeyUpstream: values["portkey-upstream"], count: count * (repeat + 1),
  });
  // A warm-up burst of the same size first, not measured: each contender's code is compiled and its upstream
  // connections are open, as in a server that has been streaming (a cold process's first burst of 256 streams
  // cost Basalt ~1.5× the CPU of the next one: docs/performance.md, round 10).
  await Promise.all(plan.slice(count * repeat).map(oneStream));
  ttft.length = gaps.length = delays.length = 0;
  dropped = late = 0;
  for (let r = 0; r < repeat; r++) await Promise.all(plan.slice(r * count, (r + 1) * count).map(oneStream));
  for (const xs of [ttft, gaps, delays]) xs.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({
    streams: count * repeat, dropped, late, firstError,
    ttftP50Us: percentile(ttft, 50), ttftP99Us: percentile(ttft, 99),
    gapP50Us: percentile(gaps, 50), gapP99Us: percentile(gaps, 99),
    delayP50Us: percentile(delays, 50), delayP99Us: percentile(delays, 99), delayMaxUs: delays[delays.length - 1] ?? NaN,
  })}\n`);
  agent.destroy();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
