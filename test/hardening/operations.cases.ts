// Issue 21, item 9: what an operator sees. Every 5xx answer is logged with its request id and cause chain;
// config errors never print a secret value (YAML syntax errors name the line, never show it); and shutdown
// does not wait for connections that have nothing in flight — a silent socket, an idle keep-alive
// connection, an idle HTTP/2 session.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect, createServer as createNetServer, type Socket } from "node:net";
import { connect as h2connect } from "node:http2";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { h2Client } from "../helpers/clients.js";
import { runCli, startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { sleep } from "./harness.js";
import { h1 } from "./raw-http.js";

const SECRET = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";

/** A port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The log lines (JSON) printed so far that mention a request id. */
function linesOf(basalt: RunningBasalt, requestId: string): Record<string, unknown>[] {
  return basalt.output().split("\n").filter((l) => l.includes(requestId)).flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

async function waitFor<T>(probe: () => T | undefined, ms = 5_000): Promise<T | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined || Date.now() > until) return v;
    await sleep(50);
  }
}

describe("every 5xx is logged with its request id and cause chain", () => {
  let basalt: RunningBasalt;
  before(async () => {
    const port = await deadPort();
    basalt = await startBasalt({
      config: writeConfig(`
providers:
  gone: { type: openai, baseUrl: "http://127.0.0.1:${port}/v1", apiKey: ${SECRET} }
models:
  - { id: basalt.echo, provider: echo }
  - { id: gone.model, provider: gone }
`),
    });
  });
  after(() => basalt.stop());

  for (const [name, text, modelId, status] of [
    ["an injected InternalServerException", "/error InternalServerException boom", "basalt.echo", 500],
    ["an injected ServiceUnavailableException", "/error ServiceUnavailableException try later", "basalt.echo", 503],
    ["an upstream that refuses connections", "hello", "gone.model", 503],
  ] as const) {
    test(name, async () => {
      const client = h2Client(basalt.url);
      try {
        const err = await client.send(new ConverseCommand({ modelId, messages: [{ role: "user", content: [{ text }] }] }))
          .then(() => undefined, (e: Error & { $metadata: { httpStatusCode?: number; requestId?: string } }) => e);
        assert.equal(err?.$metadata.httpStatusCode, status);
        const requestId = err!.$metadata.requestId!;
        const line = await waitFor(() => linesOf(basalt, requestId).find((l) => l.level === 50));
        assert.ok(line, `an error line for ${requestId}:\n${basalt.output().slice(-2000)}`);
        const causes = line.causes as { name: string; message: string; code?: string }[];
        assert.ok(Array.isArray(causes) && causes.length > 0, JSON.stringify(line));
        assert.equal(causes[0].name, err!.name);
        if (modelId === "gone.model") assert.ok(causes.some((c) => c.code === "ECONNREFUSED"), JSON.stringify(causes));
        assert.ok(!basalt.output().includes(SECRET), "the provider key is never logged");
      } finally {
        client.destroy();
      }
    });
  }

  test("a 4xx is not logged as a fault", async () => {
    const a = await h1(basalt.url, { path: "/model/basalt.echo/converse", body: "{}" });
    assert.equal(a.status, 400);
    const requestId = String(a.headers["x-amzn-requestid"]);
    await sleep(200);
    assert.equal(linesOf(basalt, requestId).filter((l) => l.level === 50).length, 0);
  });
});

describe("config errors never print secret values", () => {
  for (const [name, yaml] of [
    ["an unclosed quote on the key's line", `providers:\n  up: { type: openai, baseUrl: "http://x/v1", apiKey: "${SECRET} }\n`],
    ["a bad indent after the key", `providers:\n  up:\n    type: openai\n    apiKey: ${SECRET}\n   baseUrl: http://x/v1\n`],
    ["a bad escape in the key", `providers:\n  up: { type: openai, baseUrl: "http://x/v1", apiKey: "\\q${SECRET}" }\n`],
    ["the key where an enum value belongs", `models:\n  - { id: m, provider: echo, family: ${SECRET} }\n`],
    ["the key where a number belongs", `server: { port: ${SECRET} }\n`],
    ["the key where a URL belongs", `providers:\n  up: { type: openai, baseUrl: ${SECRET} }\n`],
  ] as const) {
    test(name, async () => {
      const { code, output } = await runCli(["--config", writeConfig(yaml), "--port", "0"]);
      assert.equal(code, 2, output);
      assert.ok(!output.includes(SECRET), output);
      assert.ok(!output.includes(SECRET.slice(0, 12)), output);
      assert.match(output, /basalt\.yaml/);
    });
  }

  test("a YAML syntax error names its line and column", async () => {
    const { output } = await runCli(["--config", writeConfig(`server: {}\nproviders:\n  up: { apiKey: "${SECRET} }\n`), "--port", "0"]);
    assert.match(output, /not valid YAML at line \d+, column \d+ \(MISSING_CHAR/);
  });
});

describe("shutdown does not wait for idle connections", () => {
  test("a silent socket, an idle keep-alive connection and an idle HTTP/2 session do not hold SIGTERM", async () => {
    const basalt = await startBasalt({ config: writeConfig("server: { shutdownGraceMs: 30000 }\nmodels:\n  - { id: basalt.echo, provider: echo }\n") });
    const sockets: Socket[] = [];
    try {
      // Connected, nothing sent.
      const silent = netConnect(basalt.port, "127.0.0.1");
      sockets.push(silent);
      await new Promise((resolve) => silent.once("connect", resolve));
      // One request answered, the connection kept alive.
      const keepAlive = netConnect(basalt.port, "127.0.0.1");
      sockets.push(keepAlive);
      const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });
      keepAlive.write(`POST /model/basalt.echo/converse HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      await new Promise((resolve) => keepAlive.once("data", resolve));
      // An HTTP/2 session with no stream.
      const session = h2connect(basalt.url);
      session.on("error", () => undefined);
      await new Promise((resolve) => session.once("connect", resolve));
      for (const s of sockets) s.on("error", () => undefined);

      const started = Date.now();
      const code = await basalt.stop();
      const ms = Date.now() - started;
      assert.equal(code, 0);
      // The grace is 30 s; an idle connection must not use any of it.
      assert.ok(ms < 8_000, `shutdown took ${ms} ms`);
      session.destroy();
    } finally {
      for (const s of sockets) s.destroy();
      await basalt.stop();
    }
  });
});
