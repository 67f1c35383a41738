// The limit of what Node can do for a Converse call: a bare node:http (or node:http2 with --h2) server
// that reads and parses the request JSON and writes a Converse-shaped JSON reply echoing the last
// message's text. No routing, no validation, no model layer.
import { createServer as createH1 } from "node:http";
import { createServer as createH2 } from "node:http2";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

interface Body { messages?: { content?: { text?: string }[] }[] }

function handle(req: Req, res: Res): void {
  const started = process.hrtime.bigint();
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body;
    const messages = body.messages ?? [];
    const text = messages[messages.length - 1]?.content?.[0]?.text ?? "";
    const tokens = text.split(/\s+/).filter(Boolean).length;
    const reply = JSON.stringify({
      output: { message: { role: "assistant", content: [{ text }] } },
      stopReason: "end_turn",
      usage: { inputTokens: tokens, outputTokens: tokens, totalTokens: 2 * tokens },
      metrics: { latencyMs: Number((process.hrtime.bigint() - started) / 1_000_000n) },
    });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(reply) });
    res.end(reply);
  });
}

const h2 = process.argv.includes("--h2");
const server = h2 ? createH2({ settings: { maxConcurrentStreams: 1000, initialWindowSize: 1 << 20 } }, handle) : createH1({ keepAliveTimeout: 65_000 }, handle);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
