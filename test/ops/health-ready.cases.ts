// Issue 10, item 3: /_basalt/health (alive) and /_basalt/ready (can serve; each configured upstream reachable
// or not) during start, while serving and during shutdown, through the real CLI. Start: ready is 503 until every
// upstream has been checked once (here one holds its answer until the test lets it go). Serving: 200 with
// reachability per provider. Shutdown: 503 from SIGTERM on (server.drainMs keeps serving meanwhile), health 200.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { h1Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { within } from "./process.js";

interface Probe { status: number; body: Record<string, unknown> & { status?: string; providers?: Record<string, Record<string, unknown>> } }

async function get(url: string): Promise<Probe> {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as Probe["body"] };
}

async function listenOn(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

let release: () => void;
const released = new Promise<void>((resolve) => (release = resolve));
const probed: string[] = [];
// An upstream that answers its reachability probe only when the test says so.
const slow = createServer((req, res) => {
  probed.push(`${req.method} ${req.url} ${req.headers.authorization ?? "no authorization"}`);
  void released.then(() => res.writeHead(200, { "content-type": "application/json" }).end('{"object":"list","data":[]}'));
});
let basalt: RunningBasalt;
let downPort: number;

describe("health and readiness (real CLI)", () => {
  before(async () => {
    const slowPort = await listenOn(slow);
    // A port nobody listens on: bind it, then let it go.
    const gone = createServer();
    downPort = await listenOn(gone);
    await new Promise((r) => gone.close(r));
    const config = writeConfig(`
  server: { drainMs: 3000, shutdownGraceMs: 1000 }
  providers:
    slow: { type: openai, baseUrl: "http://127.0.0.1:${slowPort}/v1", apiKey: "sk-never-sent-to-probes" }
    down: { type: openai, baseUrl: "http://127.0.0.1:${downPort}/v1" }
  models:
    - { id: basalt.echo, provider: echo }
    - { id: slow.model, provider: slow, model: m }
  `);
    basalt = await startBasalt({ config });
  });

  after(async () => {
    release();
    await basalt?.stop();
    slow.closeAllConnections();
    await new Promise((r) => slow.close(r));
  });

  describe("/_basalt/health and /_basalt/ready", () => {
    it("while starting: health 200, ready 503 'starting' until every upstream was checked once", async () => {
      const health = await get(`${basalt.url}/_basalt/health`);
      assert.deepEqual(health, { status: 200, body: { status: "ok" } });
      const ready = await get(`${basalt.url}/_basalt/ready`);
      assert.equal(ready.status, 503);
      assert.equal(ready.body.status, "starting");
      assert.deepEqual(ready.body.providers?.slow, { type: "openai", reachable: null, note: "checking" });
    });

    it("serving: 200 'ready', reachability per provider (any HTTP answer counts; no key is sent)", async () => {
      release();
      let ready: Probe | undefined;
      const took = await within(30_000, async () => (ready = await get(`${basalt.url}/_basalt/ready`)).status === 200);
      assert.ok(took !== undefined, `never ready: ${JSON.stringify(ready)}`);
      const { providers } = ready!.body;
      assert.equal(ready!.body.status, "ready");
      assert.equal(ready!.body.version, "0.1.0");
      assert.deepEqual(providers?.echo, { type: "echo", reachable: true, note: "built in" });
      assert.equal(providers?.slow.reachable, true);
      assert.equal(providers?.slow.status, 200);
      assert.match(String(providers?.slow.url), /^http:\/\/127\.0\.0\.1:\d+\/v1\/models$/);
      assert.equal(providers?.down.reachable, false);
      assert.equal(providers?.down.error, "ECONNREFUSED");
      assert.equal(typeof providers?.down.checkedAt, "string");
      assert.deepEqual(probed, ["GET /v1/models no authorization"]);
    });

    it("HEAD, as load balancers and uptime checks probe: health, metrics and the console answer as GET does, without a body", async () => {
      for (const path of ["/_basalt/health", "/metrics", "/_basalt/console"]) {
        const head = await fetch(`${basalt.url}${path}`, { method: "HEAD" });
        assert.equal(head.status, 200, path);
        assert.equal(await head.text(), "", path);
        const get = await fetch(`${basalt.url}${path}`);
        assert.equal(head.headers.get("content-type"), get.headers.get("content-type"), path);
        await get.arrayBuffer();
      }
    });

    it("/_basalt/models lists the served model ids with their providers", async () => {
      const r = await fetch(`${basalt.url}/_basalt/models`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), {
        models: [
          { id: "basalt.echo", provider: "echo", providerType: "echo", upstreamModel: "basalt.echo" },
          { id: "slow.model", provider: "slow", providerType: "openai", upstreamModel: "m" },
        ],
      });
    });

    it("shutting down: ready 503 from SIGTERM on, health 200, requests still served during server.drainMs", async () => {
      const client = h1Client(basalt.url);
      try {
        basalt.process.kill("SIGTERM");
        let ready: Probe | undefined;
        const took = await within(10_000, async () => (ready = await get(`${basalt.url}/_basalt/ready`)).status === 503);
        assert.ok(took !== undefined, `ready stayed ${JSON.stringify(ready)}`);
        assert.equal(ready!.body.status, "draining");
        assert.equal((await get(`${basalt.url}/_basalt/health`)).status, 200);
        const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "still here" }] }] }));
        assert.equal(out.$metadata.httpStatusCode, 200);
        assert.equal(await basalt.stop(), 0);
        await assert.rejects(fetch(`${basalt.url}/_basalt/health`));
      } finally {
        client.destroy();
      }
    });
  });
});
