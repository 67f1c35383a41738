// Scenario 5: what verifying a SigV4 signature costs a request. The same echo Converse, signed once by
// @smithy/signature-v4 the way the JS SDK signs (host, content-type, x-amz-content-sha256, x-amz-date) and
// replayed by the load generator, against Basalt with an `auth` section (every request verified: canonical
// request, HMAC, body hash) and without one (the headers are ignored). Same bytes on the wire for both.
// A second Basalt without auth is the control: what two identical processes differ by in the same run (JIT
// decisions, where the machine's other load fell) is the noise floor under the on/off ratio.
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { autocannon, h2load, h2loadMissing, type LoadResult } from "../lib/load.js";
import { converseBody, SHORT_TEXT } from "../lib/prompts.js";
import { startBasalt, type RunOptions } from "../lib/contenders.js";
import { PINNING } from "../lib/pinning.js";
import { median, round } from "../lib/stats.js";
import { cpuMsOf, type Server } from "../lib/processes.js";
import type { ScenarioResult, Table, Target } from "../lib/report.js";

const PATH = "/model/basalt.echo/converse";
const H1_CONNECTIONS = 32;
const H2_CONNECTIONS = 2;
const H2_STREAMS = 16;
const ACCESS_KEY_ID = "AKIDBENCH0000001";
const SECRET = "bench-secret-access-key";
const AUTH_CONFIG = `
auth:
  keys:
    - { name: bench, accessKeyId: ${ACCESS_KEY_ID}, secretAccessKey: ${SECRET} }
`;

type Who = "on" | "off" | "control";
const WHO: readonly Who[] = ["on", "off", "control"];

/** The headers the JS SDK would send for this body, signed for `host` (valid for 15 minutes: ample for a run). */
async function signedHeaders(host: string, body: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: "bedrock", region: "us-east-1", sha256: Hash.bind(null, "sha256"), credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET } });
  const hash = new Hash("sha256");
  hash.update(body);
  const contentSha256 = Buffer.from(await hash.digest()).toString("hex");
  const signed = await signer.sign({
    method: "POST", protocol: "http:", hostname: host.split(":")[0], port: Number(host.split(":")[1]), path: PATH, query: {},
    headers: { host, "content-type": "application/json", "x-amz-content-sha256": contentSha256 }, body,
  });
  const { host: _host, ...headers } = signed.headers;
  return headers;
}

async function checkReply(url: string, headers: Record<string, string>, body: string): Promise<void> {
  const res = await fetch(url + PATH, { method: "POST", headers, body });
  const text = await res.text();
  if (res.status !== 200 || !text.includes(SHORT_TEXT)) throw new Error(`${url} answered ${res.status} ${text}`);
}

/** A load run and the server CPU it cost, per request (µs). */
type Measured = LoadResult & { cpuUs: number };

async function alternate(rounds: number, servers: Record<Who, Server>, measure: (who: Who) => Promise<LoadResult>): Promise<Record<Who, Measured[]>> {
  const out: Record<Who, Measured[]> = { on: [], off: [], control: [] };
  for (let r = 0; r < rounds; r++) {
    // Rotated each round, so none of the three always runs first (or last).
    for (const who of [...WHO.slice(r % 3), ...WHO.slice(0, r % 3)]) {
      const cpuBefore = cpuMsOf(servers[who].pid);
      const result = await measure(who);
      const cpuUs = ((cpuMsOf(servers[who].pid) - cpuBefore) * 1000) / Math.max(1, result.requests);
      if (result.failures > 0) throw new Error(`auth ${who}: ${result.failures} failed requests out of ${result.requests}`);
      out[who].push({ ...result, cpuUs });
    }
  }
  return out;
}

function rows(protocol: string, runs: Record<Who, Measured[]>): { rows: (string | number)[][]; ratio: number; cpuRatio: number; control: number } {
  const m = (xs: Measured[], k: keyof Measured) => median(xs.map((x) => x[k]));
  const against = (who: Who) => ({
    rps: median(runs[who].map((x, i) => x.rps / runs.off[i].rps)),
    // Requests per CPU second over the baseline's: what throughput would be if the server had its cores to itself.
    cpu: median(runs[who].map((x, i) => runs.off[i].cpuUs / x.cpuUs)),
  });
  const on = against("on");
  const control = against("control");
  const row = (label: string, who: Who, r: { rps: number; cpu: number }) =>
    [protocol, label, round(m(runs[who], "rps"), 0), round(m(runs[who], "p50")), round(m(runs[who], "p99")), round(m(runs[who], "cpuUs"), 0), round(r.rps).toFixed(2), round(r.cpu).toFixed(2)];
  return {
    ratio: on.rps,
    cpuRatio: on.cpu,
    control: control.rps,
    rows: [
      row("auth off", "off", { rps: 1, cpu: 1 }),
      row("auth off, second process (control)", "control", control),
      row("SigV4 verified", "on", on),
    ],
  };
}

export async function authOverhead(opts: RunOptions): Promise<ScenarioResult> {
  const servers: Server[] = [];
  try {
    const on = await startBasalt("basalt-auth-on", opts, AUTH_CONFIG, { pin: true });
    servers.push(on);
    const off = await startBasalt("basalt-auth-off", opts, undefined, { pin: true });
    servers.push(off);
    const control = await startBasalt("basalt-auth-off-control", opts, undefined, { pin: true });
    servers.push(control);
    const body = converseBody(SHORT_TEXT);
    // Each server checks the signature against its own host:port, so each gets its own signed headers.
    const headers: Record<Who, Record<string, string>> = {
      on: await signedHeaders(new URL(on.url).host, body),
      off: await signedHeaders(new URL(off.url).host, body),
      control: await signedHeaders(new URL(control.url).host, body),
    };
    const server: Record<Who, Server> = { on, off, control };
    for (const who of WHO) await checkReply(server[who].url, headers[who], body);
    const refused = await fetch(on.url + PATH, { method: "POST", headers: { ...headers.on, "x-amz-date": "20200101T000000Z" }, body });
    if (refused.status !== 403) throw new Error(`auth is not on: a bad signature was answered ${refused.status}`);

    const table: Table = {
      caption: `Converse, echo model, SigV4-signed requests to Basalt with and without an auth section (${H1_CONNECTIONS} concurrent requests), ${opts.seconds} s × ${opts.rounds} rounds; ${PINNING}`,
      columns: ["Protocol", "Basalt", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "vs auth off, req/s", "vs auth off, req per CPU s"],
      rows: [],
    };
    const targets: Target[] = [];
    const notes: string[] = [];
    if (!opts.quick) {
      for (const who of WHO) {
        await autocannon({ url: server[who].url + PATH, body, headers: headers[who], connections: H1_CONNECTIONS, durationSec: 1, pin: true });
      }
    }
    const p1 = await alternate(opts.rounds, server, (who) => autocannon({ url: server[who].url + PATH, body, headers: headers[who], connections: H1_CONNECTIONS, durationSec: opts.seconds, pin: true }));
    const r1 = rows("HTTP/1.1", p1);
    table.rows.push(...r1.rows);
    targets.push({ name: "SigV4 verification, HTTP/1.1", target: "≥ 0.85× auth off", measured: `${round(r1.ratio).toFixed(2)}× req/s, ${round(r1.cpuRatio).toFixed(2)}× req per CPU s (control: ${round(r1.control).toFixed(2)}×)`, met: r1.ratio >= 0.85 });

    const missing = h2loadMissing();
    if (missing) {
      notes.push(`HTTP/2 rows skipped: ${missing}`);
    } else {
      const p2 = await alternate(opts.rounds, server, (who) =>
        h2load({ url: server[who].url + PATH, body, headers: headers[who], connections: H2_CONNECTIONS, streams: H2_STREAMS, durationSec: opts.seconds, warmUpSec: opts.quick ? 0 : 1, pin: true }));
      const r2 = rows("HTTP/2 (h2c)", p2);
      table.rows.push(...r2.rows);
      targets.push({ name: "SigV4 verification, HTTP/2", target: "≥ 0.85× auth off", measured: `${round(r2.ratio).toFixed(2)}× req/s, ${round(r2.cpuRatio).toFixed(2)}× req per CPU s (control: ${round(r2.control).toFixed(2)}×)`, met: r2.ratio >= 0.85 });
    }
    notes.push("The control is a second Basalt process without auth, measured like the others: its ratio to the first shows how far two identical servers land apart in this run, the resolution of the on/off ratio.");
    notes.push("Server CPU µs/req: the server process's user + system time over the run (from /proc) divided by the requests answered; on a shared machine it is steadier than req/s, which also measures the time the server waited for a core.");
    notes.push("The signed headers are replayed for the whole run (valid for AWS's 15 minutes of skew); every request is verified in full — canonical request, HMAC-SHA256 and the body's SHA-256 — only the derived signing key is cached (it changes once a day).");
    return { id: "auth-overhead", title: "5. SigV4 verification on vs off", tables: [table], targets, notes };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
