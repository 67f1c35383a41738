// Opens --count ConverseStream requests at once (HTTP/1.1, one connection each, as many separate clients
// would) and reads them to the end, decoding frames. Prints `open <ms>` when every stream has delivered
// its first event (all are then held open by the slow upstream), then one JSON line at the end.
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { converseBody, SHORT_TEXT } from "../lib/prompts.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    model: { type: "string", default: "bench-model" },
    count: { type: "string", default: "1000" },
  },
});
const base = new URL(values.url!);
const count = Number(values.count);
const body = Buffer.from(converseBody(SHORT_TEXT));
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const started = Date.now();

let opened = 0;
function oneStream(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent, host: base.hostname, port: base.port, method: "POST", path: `/model/${values.model}/converse-stream`,
        headers: { "content-type": "application/json", "content-length": body.length },
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        let pending: Buffer = Buffer.alloc(0);
        let events = 0;
        let last = "";
        res.on("data", (chunk: Buffer) => {
          pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
          while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
            const total = pending.readUInt32BE(0);
            const message = codec.decode(pending.subarray(0, total));
            pending = pending.subarray(total);
            last = String(message.headers[":event-type"]?.value ?? message.headers[":exception-type"]?.value);
            if (events++ === 0 && ++opened === count) process.stdout.write(`open ${Date.now() - started}\n`);
          }
        });
        res.on("end", () => (last === "metadata" ? resolve(events) : reject(new Error(`stream ended after ${last}`))));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const results = await Promise.allSettled(Array.from({ length: count }, oneStream));
const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
const events = results.reduce((n, r) => n + (r.status === "fulfilled" ? r.value : 0), 0);
process.stdout.write(`${JSON.stringify({ streams: count, failed: failed.length, firstError: failed[0] ? String(failed[0].reason) : undefined, events, ms: Date.now() - started })}\n`);
process.exit(0);
