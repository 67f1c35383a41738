// Issue 21, item 4: body limits are enforced before the body is read. A declared Content-Length over the
// limit is refused at once — without `100 Continue` when the client waits for it — and an oversized body
// releases its client: an HTTP/1.1 body is drained so the client reads the answer and keeps its connection,
// an HTTP/2 stream is answered and reset, and the same SDK client's next calls succeed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import { connect as h2connect } from "node:http2";
import { ConverseCommand, InvokeModelCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import type { Basalt } from "../../src/app.js";
import { transports } from "../helpers/clients.js";
import { startInProcess } from "./harness.js";
import { h2 } from "./raw-http.js";

const LIMIT = 1_000_000;

let basalt: Basalt;
before(async () => {
  basalt = await startInProcess(`
server: { maxBodyBytes: ${LIMIT}, bodyTimeoutMs: 5000 }
models:
  - { id: basalt.echo, provider: echo }
  - { id: amazon.titan-text-express-v1, provider: echo }
`);
});
after(() => basalt.stop());

const CONVERSE = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });
const hugeTitan = (bytes: number) => JSON.stringify({ inputText: "x".repeat(bytes) });

describe("Expect: 100-continue with a declared body over the limit", () => {
  test("HTTP/1.1: refused at once, no 100 Continue, connection closed", async () => {
    const started = Date.now();
    const received = await new Promise<string>((resolve, reject) => {
      const s = netConnect(basalt.server.port, "127.0.0.1", () => {
        s.write("POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n" +
          "content-length: 999999999\r\nexpect: 100-continue\r\n\r\n");
      });
      let text = "";
      s.on("data", (d: Buffer) => (text += d.toString("latin1")));
      s.on("error", () => undefined);
      s.on("close", () => resolve(text));
      setTimeout(() => reject(new Error(`no close; got ${text}`)), 10_000).unref();
    });
    assert.doesNotMatch(received, /100 Continue/);
    assert.match(received, /^HTTP\/1\.1 400/);
    assert.match(received, /x-amzn-errortype: ValidationException/i);
    assert.match(received, /999999999 bytes, more than the 1000000 bytes allowed/);
    assert.ok(Date.now() - started < 5_000);
  });

  test("HTTP/2: refused at once, no 100 Continue, and the session serves the next request", async () => {
    const session = h2connect(basalt.url);
    session.on("error", () => undefined);
    try {
      const stream = session.request({
        ":method": "POST", ":path": "/model/basalt.echo/converse", "content-type": "application/json",
        "content-length": "999999999", expect: "100-continue",
      });
      let continued = false;
      stream.on("continue", () => (continued = true));
      stream.resume();
      const status = await new Promise<number>((resolve, reject) => {
        stream.once("response", (h) => resolve(Number(h[":status"])));
        stream.once("error", reject);
        setTimeout(() => reject(new Error("no answer")), 10_000).unref();
      });
      assert.equal(status, 400);
      assert.equal(continued, false);
      await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once("close", () => resolve())));
      const next = await h2(basalt.url, { path: "/model/basalt.echo/converse", body: CONVERSE }, session);
      assert.equal(next.status, 200);
    } finally {
      session.close();
    }
  });

  test("a body within the limit gets its 100 Continue and is served", async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const s = netConnect(basalt.server.port, "127.0.0.1", () => {
        s.write(`POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${CONVERSE.length}\r\nexpect: 100-continue\r\n\r\n`);
      });
      let text = "";
      s.on("data", (d: Buffer) => {
        text += d.toString("latin1");
        if (text.startsWith("HTTP/1.1 100 Continue\r\n\r\n") && !text.includes("200")) s.write(CONVERSE);
      });
      s.on("error", () => undefined);
      s.on("close", () => resolve(text));
      setTimeout(() => reject(new Error(`no close; got ${text}`)), 10_000).unref();
    });
    assert.match(received, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
  });
});

describe("oversized bodies release their client", () => {
  for (const [name, makeClient] of transports) {
    test(`${name}: an SDK client sending ${40 * LIMIT / 1e6} MB gets its error, then the same client is served`, async () => {
      const client = makeClient(basalt.url);
      try {
        let err: unknown;
        try {
          await client.send(new InvokeModelCommand({ modelId: "amazon.titan-text-express-v1", body: hugeTitan(40 * LIMIT) }));
        } catch (e) {
          err = e;
        }
        // Node's HTTP/2 client may not read an early answer while it has megabytes queued; then the reset is
        // what it sees. Either way the call has ended, and the session is healthy.
        assert.ok(err instanceof Error, "the oversized call failed");
        if (name === "HTTP/1.1") assert.ok(err instanceof ValidationException, `${(err as Error).name}: ${(err as Error).message}`);
        for (let i = 0; i < 3; i++) {
          const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: `again ${i}` }] }] }));
          assert.equal(out.output?.message?.content?.[0]?.text, `again ${i}`);
        }
      } finally {
        client.destroy();
      }
    });

    test(`${name}: a body just over the limit is a ValidationException naming the limit`, async () => {
      const client = makeClient(basalt.url);
      try {
        await assert.rejects(
          client.send(new InvokeModelCommand({ modelId: "amazon.titan-text-express-v1", body: hugeTitan(LIMIT) })),
          (e: Error) => e instanceof ValidationException && /more than the 1000000 bytes allowed/.test(e.message),
        );
        const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "fine" }] }] }));
        assert.equal(out.output?.message?.content?.[0]?.text, "fine");
      } finally {
        client.destroy();
      }
    });
  }

  test("HTTP/1.1 chunked body over the limit: answered 400, connection still usable after the drain", async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const s = netConnect(basalt.server.port, "127.0.0.1", () => {
        s.write("POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
        const piece = "a".repeat(64 * 1024);
        for (let i = 0; i < 20; i++) s.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
        s.write("0\r\n\r\n");
        s.write(`POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${CONVERSE.length}\r\n\r\n${CONVERSE}`);
      });
      let text = "";
      s.on("data", (d: Buffer) => (text += d.toString("latin1")));
      s.on("error", () => undefined);
      s.on("close", () => resolve(text));
      setTimeout(() => reject(new Error(`no close; got ${text.slice(0, 300)}`)), 15_000).unref();
    });
    assert.match(received, /^HTTP\/1\.1 400/);
    assert.match(received, /HTTP\/1\.1 200/, "the second request on the connection was served");
  });

  test("HTTP/2 body without a length over the limit: answered 400, stream reset, session healthy", async () => {
    const session = h2connect(basalt.url);
    session.on("error", () => undefined);
    try {
      const stream = session.request({ ":method": "POST", ":path": "/model/basalt.echo/converse", "content-type": "application/json" });
      stream.on("error", () => undefined);
      stream.resume();
      const piece = Buffer.alloc(64 * 1024, 97);
      let writing = true;
      const pump = () => {
        while (writing && stream.write(piece));
      };
      stream.on("drain", pump);
      pump();
      const status = await new Promise<number>((resolve, reject) => {
        stream.once("response", (h) => resolve(Number(h[":status"])));
        setTimeout(() => reject(new Error("no answer")), 15_000).unref();
      });
      assert.equal(status, 400);
      await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once("close", () => resolve())));
      writing = false;
      const next = await h2(basalt.url, { path: "/model/basalt.echo/converse", body: CONVERSE }, session);
      assert.equal(next.status, 200);
    } finally {
      session.close();
    }
  });
});
