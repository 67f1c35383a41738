// Issue 21, item 3: nothing waits forever. With small configured timeouts (server.headersTimeoutMs,
// idleTimeoutMs, bodyTimeoutMs), a silent socket, a slowloris head, a partial HTTP/2 preface, an idle
// keep-alive connection or session, and a body that stops arriving are each closed (or answered 408
// RequestTimeoutException) within their timeout — while a slow but progressing body and a quiet stream of a
// thinking model are left alone. Lower bounds are safe under load (timers fire late, never early); upper
// bounds are generous.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect, type Socket } from "node:net";
import { connect as h2connect, type ClientHttp2Session } from "node:http2";
import { ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import type { Basalt } from "../../src/app.js";
import { transports } from "../helpers/clients.js";
import { sleep, startInProcess } from "./harness.js";
import { h2 } from "./raw-http.js";

const HEADERS_MS = 500;
const IDLE_MS = 1_000;
const BODY_MS = 700;
/** The most any close may take beyond its timeout on a loaded machine. */
const SLACK_MS = 4_000;

let basalt: Basalt;
let port: number;
before(async () => {
  basalt = await startInProcess(`
server: { headersTimeoutMs: ${HEADERS_MS}, idleTimeoutMs: ${IDLE_MS}, bodyTimeoutMs: ${BODY_MS} }
models:
  - { id: basalt.echo, provider: echo }
`);
  port = basalt.server.port;
});
after(() => basalt.stop());

interface Closed { ms: number; received: string }

/** Opens a raw TCP connection, runs `script` on it, and resolves when the server closes it. */
function rawConnection(script: (socket: Socket) => void): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = netConnect(port, "127.0.0.1", () => script(socket));
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve({ ms: Date.now() - started, received });
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${Date.now() - started} ms; received: ${received.slice(0, 200)}`));
    }, 20_000);
  });
}

function assertClosedWithin(closed: Closed, timeoutMs: number): void {
  assert.ok(closed.ms >= timeoutMs - 50, `closed after ${closed.ms} ms, before its ${timeoutMs} ms timeout`);
  assert.ok(closed.ms <= timeoutMs + SLACK_MS, `closed after ${closed.ms} ms (timeout ${timeoutMs} ms)`);
}

const CONVERSE = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });

describe("connections that never finish their head", { concurrency: true }, () => {
  test("a silent TCP connection is closed after the headers timeout", async () => {
    assertClosedWithin(await rawConnection(() => undefined), HEADERS_MS);
  });

  test("a slowloris head (a header line every 100 ms) is answered 408 and closed", async () => {
    let timer: NodeJS.Timeout | undefined;
    const closed = await rawConnection((s) => {
      s.write("POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\n");
      timer = setInterval(() => s.write("x-slow: 1\r\n"), 100);
    });
    clearInterval(timer);
    assertClosedWithin(closed, HEADERS_MS);
    assert.match(closed.received, /^HTTP\/1\.1 408/);
  });

  test("a partial HTTP/2 preface is closed after the headers timeout", async () => {
    assertClosedWithin(await rawConnection((s) => s.write("PRI * HTTP/2.0\r\n")), HEADERS_MS);
  });

  test("an HTTP/1.1 head that starts right away but never ends is closed", async () => {
    assertClosedWithin(await rawConnection((s) => s.write("POST /model/basalt.echo/conv")), HEADERS_MS);
  });
});

describe("idle connections and sessions", { concurrency: true }, () => {
  test("an HTTP/1.1 keep-alive connection is closed after the idle timeout once its response is done", async () => {
    let answeredAt = 0;
    const closed = await rawConnection((s) => {
      s.write(`POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${CONVERSE.length}\r\n\r\n${CONVERSE}`);
      s.once("data", () => (answeredAt = Date.now()));
    });
    assert.match(closed.received, /^HTTP\/1\.1 200/);
    const idleFor = closed.ms - (answeredAt - (Date.now() - closed.ms));
    assert.ok(idleFor <= IDLE_MS + SLACK_MS + 1_000, `idle ${idleFor} ms`);
  });

  test("an HTTP/2 session without streams is closed after the idle timeout", async () => {
    const started = Date.now();
    const session = h2connect(basalt.url);
    session.on("error", () => undefined);
    const ms = await new Promise<number>((resolve, reject) => {
      const giveUp = setTimeout(() => reject(new Error("session still open")), 20_000);
      session.once("close", () => {
        clearTimeout(giveUp);
        resolve(Date.now() - started);
      });
    });
    assertClosedWithin({ ms, received: "" }, IDLE_MS);
  });

  test("an HTTP/2 session is closed after its last stream, not during a quiet one", async () => {
    const session = h2connect(basalt.url);
    session.on("error", () => undefined);
    let closedAt = 0;
    session.once("close", () => (closedAt = Date.now()));
    // Two tokens 1.5 s apart: a gap longer than the idle timeout while the stream is open.
    const slow = JSON.stringify({ messages: [{ role: "user", content: [{ text: "/slow 1500 a b" }] }] });
    const a = await h2(basalt.url, { path: "/model/basalt.echo/converse", body: slow, timeoutMs: 15_000 }, session);
    const answeredAt = Date.now();
    assert.equal(a.status, 200, a.body);
    assert.equal(JSON.parse(a.body).output.message.content[0].text, "a b");
    assert.equal(closedAt, 0, "the session lived through the quiet stream");
    while (closedAt === 0 && Date.now() - answeredAt < IDLE_MS + SLACK_MS + 1_000) await sleep(50);
    assert.ok(closedAt > 0, "the idle session was closed afterwards");
  });

  for (const [name, makeClient] of transports) {
    test(`${name}: a stream quieter than the idle timeout is not cut (SDK)`, async () => {
      const client = makeClient(basalt.url);
      try {
        const out = await client.send(new ConverseStreamCommand({
          modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "/slow 1500 a b" }] }],
        }));
        let text = "";
        for await (const e of out.stream!) text += e.contentBlockDelta?.delta?.text ?? "";
        assert.equal(text, "a b");
      } finally {
        client.destroy();
      }
    });
  }
});

describe("request bodies", { concurrency: true }, () => {
  test("HTTP/1.1: a body that stops arriving is answered 408 RequestTimeoutException and the connection closed", async () => {
    const closed = await rawConnection((s) => {
      s.write(`POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${CONVERSE.length}\r\n\r\n${CONVERSE.slice(0, 10)}`);
    });
    assert.match(closed.received, /^HTTP\/1\.1 408/);
    assert.match(closed.received, /x-amzn-errortype: RequestTimeoutException/i);
    assertClosedWithin(closed, BODY_MS);
  });

  test("HTTP/2: a stalled body is answered 408, its stream reset, and the session still serves", async () => {
    const session: ClientHttp2Session = h2connect(basalt.url);
    session.on("error", () => undefined);
    try {
      const started = Date.now();
      const stream = session.request({ ":method": "POST", ":path": "/model/basalt.echo/converse", "content-type": "application/json" });
      stream.write(CONVERSE.slice(0, 10));
      stream.resume();
      const answer = await new Promise<{ status: number; type: string; ms: number }>((resolve, reject) => {
        stream.once("response", (h) => resolve({ status: Number(h[":status"]), type: String(h["x-amzn-errortype"]), ms: Date.now() - started }));
        stream.once("error", reject);
        // Unref'd: a pending give-up timer must not keep the test process alive after the answer.
        setTimeout(() => reject(new Error("no answer")), 15_000).unref();
      });
      assert.equal(answer.status, 408);
      assert.match(answer.type, /^RequestTimeoutException/);
      assert.ok(answer.ms >= BODY_MS - 50 && answer.ms <= BODY_MS + SLACK_MS, `${answer.ms} ms`);
      await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once("close", () => resolve())));
      const next = await h2(basalt.url, { path: "/model/basalt.echo/converse", body: CONVERSE }, session);
      assert.equal(next.status, 200, next.body);
    } finally {
      session.close();
    }
  });

  test("a body that keeps arriving slowly (a byte every 200 ms, longer than the timeout in all) is served", async () => {
    const closed = await rawConnection((s) => {
      s.write(`POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${CONVERSE.length}\r\n\r\n`);
      const head = CONVERSE.slice(0, CONVERSE.length - 8);
      s.write(head);
      let i = head.length;
      const timer = setInterval(() => {
        s.write(CONVERSE[i++]);
        if (i === CONVERSE.length) clearInterval(timer);
      }, 200);
    });
    assert.match(closed.received, /^HTTP\/1\.1 200/);
    assert.ok(closed.ms > BODY_MS, `${closed.ms} ms`);
  });
});
