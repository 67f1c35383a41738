// TLS as clients meet it (ALPN picks h2 or http/1.1; clients offering no ALPN get HTTP/1.1; the SDK and boto3
// over https), streams and shutdown over TLS, and which port wins when flags, PORT and the config disagree.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { ConverseCommand, ConverseStreamCommand, ServiceUnavailableException } from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { startBasalt, testDataDir, writeConfig } from "../helpers/start-basalt.js";
import { h1Client, h2Client, transports } from "../helpers/clients.js";

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;

function selfSignedCert(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "basalt-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  return { cert, key };
}

/** Opens a TLS connection offering these ALPN protocols; resolves with the socket and what was chosen. */
function tlsOpen(port: number, ALPNProtocols?: string[]): Promise<{ socket: TLSSocket; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ port, host: "127.0.0.1", rejectUnauthorized: false, ALPNProtocols });
    socket.once("secureConnect", () => resolve({ socket, alpn: socket.alpnProtocol ?? false }));
    socket.once("error", reject);
  });
}

/** One HTTP/1.1 request written by hand on a TLS socket (`Connection: close`); returns the raw response. */
async function rawH1(socket: TLSSocket, path: string, body: string): Promise<Buffer> {
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  const chunks: Buffer[] = [];
  for await (const c of socket) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Undoes chunked transfer encoding. */
function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = body.indexOf("\r\n", at);
    const size = parseInt(body.subarray(at, eol).toString("latin1"), 16);
    if (!size) return Buffer.concat(out);
    out.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

const withInsecureTls = async <T>(fn: () => Promise<T>): Promise<T> => {
  // The SDK's handlers take their TLS trust from Node's defaults; the test certificate is self-signed.
  const prev = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  try {
    return await fn();
  } finally {
    if (prev === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = prev;
  }
};

describe("TLS", () => {
  // In-process: these tests are about serving TLS, not the flags (cli-and-lifecycle.test.ts checks those).
  let basalt: InProcessBasalt;
  const { cert, key } = selfSignedCert();
  before(async () => (basalt = await startInProcess({ config: `server: { tlsCert: "${cert}", tlsKey: "${key}" }\n` })));
  after(async () => assert.equal(await basalt.stop(), 0));

  test("ALPN: h2 is preferred, http/1.1 when it is all a client offers, and no common protocol is refused", async () => {
    for (const [offered, chosen] of [[["h2", "http/1.1"], "h2"], [["http/1.1", "h2"], "h2"], [["h2"], "h2"], [["http/1.1"], "http/1.1"]] as const) {
      const { socket, alpn } = await tlsOpen(basalt.port, [...offered]);
      socket.destroy();
      assert.equal(alpn, chosen, `offered ${offered.join(",")}`);
    }
    await assert.rejects(tlsOpen(basalt.port, ["spdy/3.1"]), /NO_APPLICATION_PROTOCOL|alert/i);
  });

  test("a client offering no ALPN at all (older curl, raw TLS) is served HTTP/1.1, streams included", async () => {
    const { socket, alpn } = await tlsOpen(basalt.port);
    assert.equal(alpn, false);
    const raw = await rawH1(socket, "/model/basalt.echo/converse-stream", JSON.stringify({ messages: say("over plain tls") }));
    const split = raw.indexOf("\r\n\r\n");
    const head = raw.subarray(0, split).toString("latin1");
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.match(head, /content-type: application\/vnd\.amazon\.eventstream/i);
    const frames = dechunk(raw.subarray(split + 4));
    const kinds: string[] = [];
    let text = "";
    for (let at = 0; at < frames.length; ) {
      const len = frames.readUInt32BE(at);
      const message = codec.decode(frames.subarray(at, at + len));
      kinds.push(String(message.headers[":event-type"].value));
      if (kinds.at(-1) === "contentBlockDelta") text += JSON.parse(toUtf8(message.body)).delta.text;
      at += len;
    }
    assert.deepEqual(kinds, ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
    assert.equal(text, "over plain tls");
  });

  for (const [label, makeClient] of transports) {
    test(`the SDK over https (${label}): Converse, an unbuffered stream, and a typed error`, () =>
      withInsecureTls(async () => {
        const client = makeClient(basalt.url);
        const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("secure echo") }));
        assert.equal(out.output!.message!.content![0].text, "secure echo");
        const started = Date.now();
        const stream = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/slow 120 a b c d e") }));
        let firstAt = 0;
        let text = "";
        for await (const e of stream.stream!) {
          if (e.contentBlockDelta && !firstAt) firstAt = Date.now() - started;
          text += e.contentBlockDelta?.delta?.text ?? "";
        }
        const total = Date.now() - started;
        assert.equal(text, "a b c d e");
        assert.ok(firstAt < total - 300, `first delta at ${firstAt} ms of ${total} ms`);
        await assert.rejects(
          client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("/error ModelTimeoutException too slow") })),
          (err: Error & { $metadata: { httpStatusCode: number } }) =>
            err.name === "ModelTimeoutException" && err.$metadata.httpStatusCode === 408 && err.message === "too slow",
        );
        client.destroy();
      }));
  }

  test("boto3 over https", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
    const script = [
      "import boto3, json, sys, urllib3",
      "urllib3.disable_warnings()",
      "from botocore.config import Config",
      "c = boto3.client('bedrock-runtime', endpoint_url=sys.argv[1], region_name='us-east-1', verify=False,",
      "  aws_access_key_id='AKIDBASALTTEST', aws_secret_access_key='x', config=Config(retries={'max_attempts': 1}))",
      "m = [{'role': 'user', 'content': [{'text': 'boto over tls'}]}]",
      "r = c.converse(modelId='basalt.echo', messages=m)",
      "s = c.converse_stream(modelId='basalt.echo', messages=m)",
      "d = ''.join(e['contentBlockDelta']['delta']['text'] for e in s['stream'] if 'contentBlockDelta' in e)",
      "print(json.dumps({'text': r['output']['message']['content'][0]['text'], 'stream': d}))",
    ].join("\n");
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("python3", ["-c", script, basalt.url], { timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
    );
    assert.deepEqual(JSON.parse(stdout), { text: "boto over tls", stream: "boto over tls" });
  });
});

test("TLS: SIGTERM ends open h2 and http/1.1 streams with a ServiceUnavailableException event, exit 0", () =>
  withInsecureTls(async () => {
    const { cert, key } = selfSignedCert();
    const b = await startBasalt({ args: ["--tls-cert", cert, "--tls-key", key] });
    const clients = [h2Client(b.url), h1Client(b.url)];
    const consumed = await Promise.all(clients.map(async (client) => {
      const out = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/slow 200 a b c d e f g h i j") }));
      // Wrapped, so that Promise.all waits for the stream to open, not to end.
      return { done: (async () => {
        for await (const _ of out.stream!) void _;
      })().then(() => new Error("the stream ended without an exception"), (err: Error) => err) };
    }));
    await new Promise((r) => setTimeout(r, 300));
    const exited = b.stop("SIGTERM");
    for (const { done } of consumed) {
      const err = await done;
      assert.ok(err instanceof ServiceUnavailableException && /shutting down/.test(err.message), String(err));
    }
    assert.equal(await exited, 0);
    for (const c of clients) c.destroy();
  }));

test("TLS: SIGTERM during an HTTP/1.1 call finishes it, then exits at once, not after the grace period", () =>
  withInsecureTls(async () => {
    const { cert, key } = selfSignedCert();
    const b = await startBasalt({ args: ["--tls-cert", cert, "--tls-key", key] });
    const client = h1Client(b.url);
    const pending = client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("/slow 150 still answered") }));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const exited = b.stop("SIGTERM");
    const out = await pending;
    assert.equal(out.output?.message?.content?.[0]?.text, "still answered");
    assert.equal(await exited, 0);
    // The connection, busy when the signal came, is closed as soon as its response has gone.
    assert.ok(Date.now() - started < 3000, `exit took ${Date.now() - started} ms`);
    client.destroy();
  }));

describe("which port wins", () => {
  async function freePort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    return port;
  }

  async function portOf(opts: Parameters<typeof startBasalt>[0]): Promise<number> {
    const b = await startBasalt(opts);
    const client = h2Client(b.url);
    const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("which port") }));
    client.destroy();
    assert.equal(out.output!.message!.content![0].text, "which port");
    assert.equal(await b.stop(), 0);
    return b.port;
  }

  test("--port N serves on N, over PORT from the environment", async () => {
    const [a, b] = [await freePort(), await freePort()];
    assert.equal(await portOf({ args: ["--port", String(a)], env: { PORT: String(b) } }), a);
  });

  test("PORT wins over server.port in the config (flags > environment > file); --port wins over both", async () => {
    const [a, b, c] = [await freePort(), await freePort(), await freePort()];
    const config = writeConfig(`server: { port: ${a} }\n`);
    assert.equal(await startBasaltWithoutPortFlag(config, { PORT: String(b) }), b);
    assert.equal(await startBasaltWithoutPortFlag(config, { PORT: "" }), a);
    // The helper passes --port 0 first; a later --port replaces it (node:util parseArgs keeps the last).
    assert.equal(await portOf({ config, env: { PORT: String(b) }, args: ["--port", String(c)] }), c);
  });

  /** Runs the CLI with only --config (no --port at all), to see which of PORT and the config's port is chosen. */
  async function startBasaltWithoutPortFlag(config: string, env: NodeJS.ProcessEnv): Promise<number> {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["dist/cli.js", "--config", config], {
      cwd: new URL("../..", import.meta.url), env: { ...process.env, BASALT_DATA_DIR: testDataDir(), ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(out)), 10_000);
      child.stdout.on("data", () => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) (clearTimeout(t), resolve(m[1]));
      });
    });
    child.kill("SIGTERM");
    assert.equal(await new Promise((r) => child.once("exit", r)), 0);
    return Number(new URL(url).port);
  }
});
