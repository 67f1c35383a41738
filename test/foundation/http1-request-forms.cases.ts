// HTTP/1.1 requests in the forms curl and other plain clients send them: `Expect: 100-continue` (curl does
// for bodies over 1 MB), chunked request bodies, and one keep-alive connection carrying answers, errors and
// streams in turn.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const body = (...content: object[]) => JSON.stringify({ messages: [{ role: "user", content }] });

let basalt: InProcessBasalt;
before(async () => (basalt = await startInProcess()));
after(async () => assert.equal(await basalt.stop(), 0));

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; continued: boolean; socketId?: number }

const socketIds = new WeakMap<object, number>();
let nextSocketId = 1;

/** One request with node:http; `write` sends the body (in as many pieces as it likes). */
function call(path: string, headers: Record<string, string>, write: (req: ReturnType<typeof request>) => void, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request(`${basalt.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (!socketIds.has(req.socket!)) socketIds.set(req.socket!, nextSocketId++);
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), continued, socketId: socketIds.get(req.socket!) });
      });
    });
    req.on("error", reject);
    if (headers.expect === "100-continue") {
      // The body goes only once the server has said 100 Continue, as curl does.
      req.on("continue", () => {
        continued = true;
        write(req);
      });
      req.flushHeaders();
    } else {
      write(req);
    }
  });
}

test("Expect: 100-continue gets 100 Continue, then the answer (curl's way with bodies over 1 MB)", async () => {
  const bytes = Buffer.alloc(1_500_000, 1).toString("base64");
  const payload = body({ text: "big" }, { image: { format: "png", source: { bytes } } });
  const r = await call("/model/basalt.echo/converse", { expect: "100-continue", "content-length": String(Buffer.byteLength(payload)) },
    (req) => req.end(payload));
  assert.ok(r.continued, "the server sent 100 Continue");
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body.toString()).output.message.content[0].text, "big\n[image png 1500000 bytes]");
});

test("a chunked request body, sent in pieces, is read whole (Converse and ConverseStream)", async () => {
  const payload = body({ text: "sent in pieces" });
  const inPieces = (req: ReturnType<typeof request>) => {
    for (let i = 0; i < payload.length; i += 7) req.write(payload.slice(i, i + 7));
    req.end();
  };
  const unary = await call("/model/basalt.echo/converse", { "transfer-encoding": "chunked" }, inPieces);
  assert.equal(unary.status, 200);
  assert.equal(JSON.parse(unary.body.toString()).output.message.content[0].text, "sent in pieces");

  const stream = await call("/model/basalt.echo/converse-stream", { "transfer-encoding": "chunked" }, inPieces);
  assert.equal(stream.status, 200);
  assert.equal(stream.headers["content-type"], "application/vnd.amazon.eventstream");
  let text = "";
  for (let at = 0; at < stream.body.length; ) {
    const len = stream.body.readUInt32BE(at);
    const m = codec.decode(stream.body.subarray(at, at + len));
    if (m.headers[":event-type"].value === "contentBlockDelta") text += JSON.parse(toUtf8(m.body)).delta.text;
    at += len;
  }
  assert.equal(text, "sent in pieces");
});

test("one keep-alive connection carries answers, typed errors and streams in turn", async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (path: string, payload: string) =>
    call(path, { "content-length": String(Buffer.byteLength(payload)) }, (req) => req.end(payload), agent);
  const answers = [
    await send("/model/basalt.echo/converse", body({ text: "first" })),
    await send("/model/basalt.echo/converse", body({ text: "/error ThrottlingException busy" })),
    await send("/model/basalt.echo/converse", '{"messages": ['),
    await send("/model/basalt.echo/converse-stream", body({ text: "/error-after 2 InternalServerException broke" })),
    await send("/model/no.such-model/converse", body({ text: "x" })),
    await send("/model/basalt.echo/converse-stream", body({ text: "streamed" })),
    await send("/model/basalt.echo/converse", body({ text: "last" })),
  ];
  agent.destroy();
  assert.deepEqual(answers.map((a) => a.status), [200, 429, 400, 200, 400, 200, 200]);
  assert.deepEqual(answers.map((a) => String(a.headers["x-amzn-errortype"] ?? "").split(":")[0]),
    ["", "ThrottlingException", "SerializationException", "", "ValidationException", "", ""]);
  assert.equal(new Set(answers.map((a) => a.socketId)).size, 1, "all on one connection");
  assert.equal(JSON.parse(answers.at(-1)!.body.toString()).output.message.content[0].text, "last");
});
