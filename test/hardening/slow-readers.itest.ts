// Issue 21, item 5: a client that does not read pauses its own stream and nothing else. Against Basalt in its
// own process (so the test's clients do not share its event loop): eight clients that never read a
// multi-megabyte stream, on both transports, leave a normal request as fast as before (within 1 s of its
// baseline), new streams on their own HTTP/2 sessions are still served, a large unary answer left unread
// does not make its session refuse the next request, memory stays bounded while they wait, and what they
// held is reused afterwards — a second round does not grow the process.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect as netConnect, type Socket } from "node:net";
import { connect as h2connect, type ClientHttp2Session } from "node:http2";
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { h2 } from "./raw-http.js";
import fc from "fast-check";
import { eachTokenPiece, tokenPieces } from "../../src/core/text-tokens.js";

let basalt: RunningBasalt;
let client: BedrockRuntimeClient;
before(async () => {
  // History bodies off: the call history keeps up to 64 MB of bodies by design, which is not what is measured.
  basalt = await startBasalt({ config: writeConfig("server: { history: { bodies: false } }\nmodels:\n  - { id: basalt.echo, provider: echo }\n") });
  client = h2Client(basalt.url);
});
after(async () => {
  client.destroy();
  await basalt.stop();
});

/** Resident memory of the Basalt process, in MB. */
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${basalt.process.pid}/status`, "utf8"))![1]) / 1024;

async function normalRequestMs(): Promise<number> {
  const started = Date.now();
  const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "ping" }] }] }));
  assert.equal(out.output?.message?.content?.[0]?.text, "ping");
  return Date.now() - started;
}

async function median(n: number, f: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await f());
  return xs.sort((a, b) => a - b)[Math.floor(n / 2)];
}

// 3 MB of one-character tokens: 1.5 million stream events, each its own frame.
const BIG_STREAM = JSON.stringify({ messages: [{ role: "user", content: [{ text: "a ".repeat(1_500_000) }] }] });

interface NonReaders { sessions: ClientHttp2Session[]; sockets: Socket[]; close(): void }

/** Four HTTP/2 and four HTTP/1.1 clients that ask for the big stream, take its first bytes, and stop reading. */
async function startNonReaders(): Promise<NonReaders> {
  const sessions: ClientHttp2Session[] = [];
  const sockets: Socket[] = [];
  const started: Promise<unknown>[] = [];
  for (let i = 0; i < 4; i++) {
    const session = h2connect(basalt.url);
    session.on("error", () => undefined);
    sessions.push(session);
    const stream = session.request({ ":method": "POST", ":path": "/model/basalt.echo/converse-stream", "content-type": "application/json" });
    stream.on("error", () => undefined);
    stream.end(BIG_STREAM);
    stream.pause();
    started.push(new Promise((resolve) => stream.once("response", resolve)));
  }
  for (let i = 0; i < 4; i++) {
    const socket = netConnect(basalt.port, "127.0.0.1");
    socket.on("error", () => undefined);
    sockets.push(socket);
    socket.write(`POST /model/basalt.echo/converse-stream HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(BIG_STREAM)}\r\n\r\n`);
    socket.write(BIG_STREAM);
    started.push(new Promise((resolve) => socket.once("data", () => resolve(socket.pause()))));
  }
  await Promise.all(started);
  return {
    sessions, sockets,
    close() {
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("eight clients not reading multi-megabyte streams stall only themselves", async () => {
  await median(3, normalRequestMs);
  const baseline = await median(5, normalRequestMs);
  const idle = rssMb();

  const round = async () => {
    const readers = await startNonReaders();
    // Their streams have started and filled what the transport will buffer for them.
    await sleep(1_500);
    const during = await median(5, normalRequestMs);
    assert.ok(during < baseline + 1_000, `a normal request took ${during} ms beside the non-readers (baseline ${baseline} ms)`);
    // A new stream on a session whose other stream is stuck is served.
    const same = await h2(basalt.url, { path: "/model/basalt.echo/converse", body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "same" }] }] }) }, readers.sessions[0]);
    assert.equal(same.status, 200, same.body);
    const held = rssMb();
    readers.close();
    await sleep(1_500);
    return { held, after: rssMb() };
  };

  const first = await round();
  // Before: 4.5 GB for eight 25 MB streams; each stuck stream now holds its request and a bounded buffer.
  assert.ok(first.held - idle < 400, `RSS ${idle.toFixed(0)} → ${first.held.toFixed(0)} MB while the non-readers wait`);
  // A leak grows RSS on every round; the allocator keeping pages after one round (seen up to ~70 MB under CI
  // load, on code without a leak) does not repeat on the next. So the smaller of two rounds' growth must stay low.
  const second = await round();
  const third = await round();
  const growth = Math.min(second.after - first.after, third.after - second.after);
  assert.ok(growth < 60, `RSS after the rounds ${first.after.toFixed(0)} → ${second.after.toFixed(0)} → ${third.after.toFixed(0)} MB`);
  assert.ok(await normalRequestMs() < baseline + 1_000);
});

test("a large unary answer left unread does not make its HTTP/2 session refuse the next request", async () => {
  const session = h2connect(basalt.url);
  session.on("error", () => undefined);
  try {
    const text = `${"x".repeat(99)} `.repeat(120_000);
    const big = session.request({ ":method": "POST", ":path": "/model/basalt.echo/converse", "content-type": "application/json" });
    big.on("error", () => undefined);
    big.end(JSON.stringify({ messages: [{ role: "user", content: [{ text }] }] }));
    big.pause();
    await new Promise((resolve) => big.once("response", resolve));
    await sleep(1_000);
    const next = await h2(basalt.url, { path: "/model/basalt.echo/converse", body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "next" }] }] }) }, session);
    assert.equal(next.status, 200, next.body);
    assert.equal(JSON.parse(next.body).output.message.content[0].text, "next");
  } finally {
    session.destroy();
  }
});

test("the echo stream's pieces are made one at a time, and are the same pieces as before", () => {
  const text = fc.array(fc.constantFrom("a", "b", " ", "\n", "\t", "\u00a0", "é"), { maxLength: 40 }).map((cs) => cs.join(""));
  fc.assert(fc.property(text, (t) => assert.deepEqual([...eachTokenPiece(t)], tokenPieces(t))), { numRuns: 2_000 });
});
