// Start-up as a user does it (flags, PORT, config files, errors naming the key), TLS, and graceful shutdown.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { ConverseCommand, ConverseStreamCommand, ServiceUnavailableException, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { runCli, startBasalt, testDataDir, writeConfig } from "../helpers/start-basalt.js";
import { h1Client, h2Client } from "../helpers/clients.js";

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test("no config serves basalt.echo; PORT from the environment is honoured", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ["dist/cli.js"], { cwd: new URL("../..", import.meta.url), env: { ...process.env, PORT: String(port), BASALT_DATA_DIR: testDataDir() } });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(out)), 10_000);
    child.stdout.on("data", () => out.includes("listening") && (clearTimeout(t), resolve()));
  });
  assert.match(out, new RegExp(`127\\.0\\.0\\.1:${port}`));
  const client = h2Client(`http://127.0.0.1:${port}`);
  const r = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("env port") }));
  assert.equal(r.output!.message!.content![0].text, "env port");
  client.destroy();
  child.kill("SIGTERM");
  const code = await new Promise((r) => child.once("exit", r));
  assert.equal(code, 0);
});

test("--host binds the given address", async () => {
  const b = await startBasalt({ args: ["--host", "127.0.0.2"] });
  assert.match(b.url, /^http:\/\/127\.0\.0\.2:\d+$/);
  const r = await h1Client(b.url).send(new ConverseCommand({ modelId: "basalt.echo", messages: say("bound") }));
  assert.equal(r.output!.message!.content![0].text, "bound");
  await b.stop();
});

test("a config listing models serves exactly those (echo under another id)", async () => {
  const b = await startBasalt({ config: writeConfig('models: [{ id: "my.test-model", provider: echo }]\n') });
  const client = h2Client(b.url);
  const r = await client.send(new ConverseCommand({ modelId: "my.test-model", messages: say("renamed") }));
  assert.equal(r.output!.message!.content![0].text, "renamed");
  await assert.rejects(client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("x") })), ValidationException);
  client.destroy();
  assert.equal(await b.stop(), 0);
});

// Each case is its own run of the CLI; they run side by side.
describe("config errors", { concurrency: true }, () => {
for (const [name, yaml, expected] of [
  ["unknown top-level key", "modelz: []\n", /modelz: unknown key/],
  ["unknown nested key", 'models: [{ id: "a.b", provider: echo, colour: red }]\n', /models\[0\]\.colour: unknown key/],
  ["bad value", "server: { port: seventy }\n", /server\.port/],
  ["unknown provider reference", 'models: [{ id: "a.b", provider: nowhere }]\n', /models\[0\]\.provider: no provider named "nowhere"/],
  ["provider missing a required option", 'providers: { x: { type: openai } }\nmodels: [{ id: "a.b", provider: x }]\n', /providers\.x\.baseUrl/],
  ["missing environment variable", 'providers: { x: { type: openai, baseUrl: "http://127.0.0.1:1/v1", apiKey: "${BASALT_TEST_UNSET_VAR}" } }\n',
    /providers\.x\.apiKey: environment variable BASALT_TEST_UNSET_VAR is not set/],
  ["not YAML", "models: [\n", /not valid YAML/],
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  ["a Postgres that cannot be reached", 'storage: { postgres: "postgres://basalt@127.0.0.1:1/basalt" }\n', /storage\.postgres: .*ECONNREFUSED/],
] as const) {
  test(`config error: ${name} → non-zero exit naming the key`, async () => {
    const r = await runCli(["--port", "0", "--config", writeConfig(yaml)]);
    assert.notEqual(r.code, 0);
    assert.match(r.output, expected);
  });
}
});

test("bad flags and a missing config file fail clearly", async () => {
  // Six separate runs of the CLI, side by side.
  const [badFlag, badEnv, unknown, noCert, halfTls, missing] = await Promise.all([
    runCli(["--port", "abc"]),
    runCli([], { PORT: "70000" }),
    runCli(["--colour", "red"]),
    runCli(["--port", "0", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"]),
    runCli(["--port", "0", "--tls-cert", "/nonexistent/cert.pem"]),
    runCli(["--port", "0", "--config", "/nonexistent/basalt.yaml"]),
  ]);
  assert.notEqual(badFlag.code, 0);
  assert.match(badFlag.output, /--port: not a port number: abc/);
  assert.notEqual(badEnv.code, 0);
  assert.match(badEnv.output, /PORT: not a port number: 70000/);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.output, /--colour/);
  assert.notEqual(noCert.code, 0);
  assert.match(noCert.output, /--tls-cert: no such file: \/nonexistent\/cert\.pem/);
  assert.notEqual(halfTls.code, 0);
  assert.match(halfTls.output, /--tls-cert and --tls-key go together/);
  assert.notEqual(missing.code, 0);
  assert.match(missing.output, /cannot read config file/);
});

test("TLS: --tls-cert/--tls-key serve h2 and http/1.1 by ALPN", async () => {
  const dir = mkdtempSync(join(tmpdir(), "basalt-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  const b = await startBasalt({ args: ["--tls-cert", cert, "--tls-key", key], env: { NODE_TLS_REJECT_UNAUTHORIZED: "0" } });
  assert.match(b.url, /^https:/);
  const prev = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  try {
    for (const make of [h2Client, h1Client]) {
      const client = make(b.url);
      const r = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("over tls") }));
      assert.equal(r.output!.message!.content![0].text, "over tls");
      const s = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("tls stream") }));
      let text = "";
      for await (const e of s.stream!) text += e.contentBlockDelta?.delta?.text ?? "";
      assert.equal(text, "tls stream");
      client.destroy();
    }
  } finally {
    if (prev === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = prev;
  }
  assert.equal(await b.stop(), 0);
});

// Each signal once, with the stream on one transport and the unary call on the other.
for (const [signal, streamOver, unaryOver] of [["SIGTERM", h2Client, h1Client], ["SIGINT", h1Client, h2Client], ["SIGHUP", h1Client, h1Client]] as const) {
  test(`${signal}: an in-flight Converse finishes, an open stream ends with an exception event, exit 0`, async () => {
    const b = await startBasalt();
    const client = streamOver(b.url);
    const h1 = unaryOver(b.url);
    const stream = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/slow 200 a b c d e f g h i j") }));
    const unary = h1.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("/slow 150 x y z") }));
    const seen: string[] = [];
    const consumed = (async () => {
      for await (const e of stream.stream!) seen.push(e.contentBlockDelta?.delta?.text ?? Object.keys(e)[0]);
    })();
    await new Promise((r) => setTimeout(r, 250));
    const exited = b.stop(signal);
    await assert.rejects(consumed, (err: Error) => err instanceof ServiceUnavailableException && /shutting down/.test(err.message));
    assert.ok(seen.length >= 1 && seen.length < 12, `stream was cut mid-way (${seen.length} events)`);
    const done = await unary;
    assert.equal(done.output!.message!.content![0].text, "x y z");
    assert.equal(await exited, 0);
    client.destroy();
    h1.destroy();
  });
}
