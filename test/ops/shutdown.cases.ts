// Issue 10, items 2 and 7: stops that work under every supervisor. SIGTERM to the `npm start` process (what
// `npm start & kill $!`, containers and systemd do), to the process group, or to node itself stops the server
// gracefully: the port is free and node gone within grace + 1 s. A request still running when the grace ends
// gets a Bedrock ServiceUnavailableException, not a reset, and the process exits within grace + 1 s.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, testDataDir, writeConfig } from "../helpers/start-basalt.js";
import { pidsWith, portIsFree, within } from "./process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const GRACE_MS = 1_000;
const CONFIG = `server: { shutdownGraceMs: ${GRACE_MS} }\n`;

interface Started {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  /** The config path: unique, so it finds this test's node process among all others. */
  marker: string;
}

/** `npm start -- --port 0 --config …`, as a user runs it; resolves once Basalt says it listens. */
async function npmStart(opts: { detached?: boolean } = {}): Promise<Started> {
  const marker = writeConfig(CONFIG);
  const child = spawn("npm", ["start", "--", "--port", "0", "--config", marker], {
    cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: opts.detached ?? false, env: { ...process.env, BASALT_LOG_LEVEL: "info", BASALT_DATA_DIR: testDataDir() },
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      for (const pid of pidsWith(marker)) process.kill(pid, "SIGKILL");
      reject(new Error(`npm start did not start:\n${out}`));
    }, 60_000);
    child.stdout!.on("data", () => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, port: Number(new URL(url).port), output: () => out, marker };
}

/** Resolves when every writer of the child's stdout has closed it (or after 5 s). */
async function outputEnded(s: Started): Promise<void> {
  const stdout = s.child.stdout!;
  if (stdout.readableEnded || stdout.destroyed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    stdout.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** After a stop: the port is free and no node process of this test is left; else they are killed. */
async function assertStopped(s: Started, sentAt: number): Promise<void> {
  const gone = await within(10_000, async () => pidsWith(s.marker).length === 0 && (await portIsFree(s.port)));
  const left = pidsWith(s.marker);
  for (const pid of left) process.kill(pid, "SIGKILL");
  assert.deepEqual(left, [], `node was left running:\n${s.output()}`);
  assert.ok(gone !== undefined, "the port stayed bound");
  const tookMs = Date.now() - sentAt;
  assert.ok(tookMs <= GRACE_MS + 1_000, `stopping took ${tookMs} ms (grace ${GRACE_MS} ms)`);
  // node's last lines may still be in the pipe when its process is gone: read to the pipe's end first.
  await outputEnded(s);
  // node hears the signal itself (group, exec) or sees its npm parent go (npm → sh → node, where sh dies of it).
  assert.match(s.output(), /"signal":"(SIGTERM|parent process exited)"[^\n]*shutting down/);
}

describe("stopping under a supervisor", () => {
  it("SIGTERM to the npm start process stops node (no orphan holding the port)", async () => {
    const s = await npmStart();
    const sentAt = Date.now();
    s.child.kill("SIGTERM");
    await assertStopped(s, sentAt);
  });

  it("SIGTERM to the process group of npm start stops it too", async () => {
    const s = await npmStart({ detached: true });
    const sentAt = Date.now();
    process.kill(-s.child.pid!, "SIGTERM");
    await assertStopped(s, sentAt);
  });

  for (const [label, makeClient] of [["HTTP/1.1", h1Client], ["HTTP/2", h2Client]] as const) {
    it(`${label}: a request outlasting the grace gets ServiceUnavailableException; node exits within grace + 1 s`, async () => {
      const basalt = await startBasalt({ config: writeConfig(CONFIG) });
      const client = makeClient(basalt.url);
      try {
        // basalt.echo's /slow fault: 12 tokens at 400 ms each, far past the 1 s grace.
        const call = client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "/slow 400 a b c d e f g h i j k l" }] }] }));
        const outcome = call.then(
          () => "answered",
          (err: Error & { $metadata?: { httpStatusCode?: number } }) => `${err.$metadata?.httpStatusCode} ${err.name}: ${err.message}`,
        );
        // The request is in the model once its first token was waited for; give it a moment to get there.
        await new Promise((r) => setTimeout(r, 300));
        const sentAt = Date.now();
        const code = await basalt.stop("SIGTERM");
        const exitMs = Date.now() - sentAt;
        assert.equal(await outcome, "503 ServiceUnavailableException: The server is shutting down. Retry your request.");
        assert.equal(code, 0);
        assert.ok(exitMs <= GRACE_MS + 1_000, `exit took ${exitMs} ms (grace ${GRACE_MS} ms)`);
        assert.equal(await portIsFree(basalt.port), true);
      } finally {
        client.destroy();
      }
    });
  }
});
