// Streams follow the reader: a client that stops reading pauses the model (no unbounded buffering), a client
// that leaves stops it, and neither disturbs the server. Observed from outside through the server process's
// CPU time (/proc): a stalled or abandoned stream must cost nothing once the socket buffers are full.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { connect as h2connect } from "node:http2";
import { connect as netConnect } from "node:net";
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt, type RunningBasalt } from "../helpers/start-basalt.js";
import { transports } from "../helpers/clients.js";

const hasProc = existsSync("/proc/self/stat");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

// One million one-character tokens: ~140 MB of frames, far more than any socket buffer holds, and several
// seconds of CPU to produce, so a server that ignored back-pressure would still be busy in the window below.
const HUGE = JSON.stringify({ messages: say("a ".repeat(1_000_000)) });

let basalt: RunningBasalt;
before(async () => (basalt = await startBasalt()));
after(async () => assert.equal(await basalt.stop(), 0));

/** The server's main thread's /proc stat fields after the command name (state first). */
function serverStat(): string[] {
  return readFileSync(`/proc/${basalt.process.pid}/stat`, "utf8").split(") ")[1].split(" ");
}

/** User + system CPU time of the server process, in ms (clock ticks are 10 ms on Linux). */
function serverCpuMs(): number {
  const fields = serverStat();
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Whether the server's CPU use drops to (almost) nothing within 5 s, watched in 250 ms windows. */
async function becomesIdle(): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 250) if (await idleWindow()) return true;
  return false;
}

/**
 * A 250 ms window in which the server used almost no CPU *and* its main thread was never runnable. Low CPU
 * alone is not enough on a small, shared machine: a server starved of CPU by other test files uses little
 * of it while still busy, and would be counted idle just before it catches up. A busy server that ignored
 * back-pressure burns ~250 ms per window; GC and timers cost a few ticks, so "idle" allows up to 60 ms.
 */
async function idleWindow(): Promise<boolean> {
  const start = serverCpuMs();
  let runnable = false;
  for (let i = 0; i < 10; i++) {
    await sleep(25);
    if (serverStat()[0] === "R") runnable = true;
  }
  return !runnable && serverCpuMs() - start <= 60;
}

/** CPU the server spends over `ms` of wall time. */
async function cpuOver(ms: number): Promise<number> {
  const start = serverCpuMs();
  await sleep(ms);
  return serverCpuMs() - start;
}

async function stillServing(): Promise<void> {
  const client = transports[0][1](basalt.url);
  const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("still serving") }));
  client.destroy();
  assert.equal(out.output!.message!.content![0].text, "still serving");
}

interface StalledStream {
  /** Resolves once the response status line / HEADERS frame has arrived. */
  started: Promise<void>;
  /** Starts reading; resolves with the bytes read within `ms`. */
  readFor(ms: number): Promise<number>;
  leave(): void;
}

/** An HTTP/1.1 stream over a raw socket whose reader reads nothing past the response head. */
function stalledH1(): StalledStream {
  const socket = netConnect(basalt.port, "127.0.0.1");
  socket.write(
    "POST /model/basalt.echo/converse-stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(HUGE)}\r\n\r\n`,
  );
  socket.write(HUGE);
  let head = "";
  const started = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      // Stop reading: the socket's buffer fills, then the kernel's, then the server must wait.
      socket.off("data", onData);
      socket.pause();
      assert.match(head, /^HTTP\/1\.1 200 /);
      resolve();
    };
    socket.on("data", onData);
  });
  return {
    started,
    async readFor(ms) {
      let n = 0;
      socket.on("data", (c: Buffer) => (n += c.length));
      socket.resume();
      await sleep(ms);
      socket.pause();
      return n;
    },
    leave: () => socket.destroy(),
  };
}

/** An HTTP/2 stream whose reader does not consume DATA, so flow control windows close. */
function stalledH2(): StalledStream {
  const session = h2connect(basalt.url);
  const req = session.request({ ":method": "POST", ":path": "/model/basalt.echo/converse-stream", "content-type": "application/json" });
  req.end(HUGE);
  req.pause();
  const started = new Promise<void>((resolve) =>
    req.once("response", (headers) => {
      assert.equal(headers[":status"], 200);
      resolve();
    }),
  );
  return {
    started,
    async readFor(ms) {
      let n = 0;
      req.on("data", (c: Buffer) => (n += c.length));
      req.resume();
      await sleep(ms);
      req.pause();
      return n;
    },
    leave: () => {
      req.close();
      session.destroy();
    },
  };
}

describe("back-pressure and clients that leave", { skip: hasProc ? false : "needs /proc to read the server's CPU time" }, () => {
  for (const [label, open] of [["HTTP/1.1", stalledH1], ["HTTP/2", stalledH2]] as const) {
    test(`${label}: a reader that stops reading pauses the model; reading resumes it; leaving stops it`, async () => {
      const stream = open();
      await stream.started;
      // Parsing the 2 MB request and filling the socket buffers take a moment (longer on a loaded machine);
      // a server that ignored back-pressure would instead stay busy for seconds producing a million frames.
      assert.ok(await becomesIdle(), "the server kept working for a reader that stopped reading");
      const stalledCpu = await cpuOver(1000);
      assert.ok(stalledCpu <= 250, `the server kept working for a reader that stopped reading: ${stalledCpu} ms CPU in 1 s`);

      const bytes = await stream.readFor(400);
      assert.ok(bytes > 0, "frames flow again once the reader reads");

      stream.leave();
      assert.ok(await becomesIdle(), "the server kept generating for a client that left");
      const abandonedCpu = await cpuOver(1000);
      assert.ok(abandonedCpu <= 250, `the server kept generating for a client that left: ${abandonedCpu} ms CPU in 1 s`);
      await stillServing();
    });
  }

  for (const [label, makeClient] of transports) {
    test(`${label}: SDK calls aborted mid-stream and mid-call leave the server healthy`, async () => {
      const client = makeClient(basalt.url);
      const streamAbort = new AbortController();
      const out = await client.send(
        new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/slow 100 a b c d e f g h i j k l") }),
        { abortSignal: streamAbort.signal },
      );
      // The SDK ends iteration on abort: over HTTP/1.1 with an error, over HTTP/2 by ending the stream.
      const seen: string[] = [];
      await (async () => {
        for await (const e of out.stream!) {
          seen.push(Object.keys(e)[0]);
          if (seen.length === 3) streamAbort.abort();
        }
      })().catch(() => undefined);
      assert.deepEqual(seen, ["messageStart", "contentBlockDelta", "contentBlockDelta"]);

      const callAbort = new AbortController();
      const unary = client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("/slow 100 x y z w") }), {
        abortSignal: callAbort.signal,
      });
      setTimeout(() => callAbort.abort(), 100);
      await assert.rejects(unary, (err: Error) => err.name === "AbortError");
      client.destroy();

      await stillServing();
      assert.doesNotMatch(basalt.output(), /"level":(50|60)|Unhandled|ERR_STREAM/, "no errors logged for clients that left");
    });
  }
});
