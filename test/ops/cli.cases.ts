// Issue 10, item 8: the CLI as an operator meets it — --version, a --help that lists every flag and every
// environment variable the server reads, flags > environment > file, a warning for a config that serves no
// model, an empty config file called empty, and TLS mistakes reported against the flag that named the file.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, startBasalt, testDataDir, writeConfig } from "../helpers/start-basalt.js";
import { logLines } from "./log-lines.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** Every environment variable the server's sources read (process.env.X, env.X), found by scanning src/. */
function variablesReadBySrc(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) for (const m of readFileSync(path, "utf8").matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]);
    }
  };
  walk(join(ROOT, "src"));
  return [...names].sort();
}

/** Starts the CLI without the helper's --port 0, and returns the URL it says it listens on. */
async function listeningUrl(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ["dist/cli.js", ...args], { cwd: ROOT, env: { ...process.env, PORT: "", BASALT_HOST: "", BASALT_DATA_DIR: testDataDir(), ...env } });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  try {
    return await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 30_000);
      child.stdout.on("data", () => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) (clearTimeout(t), resolve(m[1]));
      });
      child.once("exit", (code) => (clearTimeout(t), reject(new Error(`exited ${code}:\n${out}`))));
    });
  } finally {
    child.kill("SIGKILL");
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("basalt --version and --help", () => {
  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0);
    assert.equal(r.output, `basalt ${VERSION}\n`);
  });

  it("--help lists every flag and every environment variable the server reads, and where the docs are", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0);
    for (const flag of ["--port", "--host", "--config", "--tls-cert", "--tls-key", "--help", "--version"]) assert.ok(r.output.includes(flag), flag);
    const variables = variablesReadBySrc();
    assert.ok(variables.includes("PORT") && variables.includes("BASALT_LOG_LEVEL"), variables.join());
    // AWS_* are the SDK credential chain's, named as a family in the help.
    for (const name of variables.filter((v) => !v.startsWith("AWS_"))) assert.ok(r.output.includes(name), `--help does not name ${name}`);
    assert.match(r.output, /AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID/);
    const docs = /Documentation: (\S+README\.md)/.exec(r.output)?.[1];
    assert.ok(docs && existsSync(docs), r.output);
  });

  it("an unknown option says so and points at --help", async () => {
    const r = await runCli(["--verbose"]);
    assert.equal(r.code, 2);
    assert.match(r.output, /Unknown option '--verbose'.*basalt --help/);
  });
});

describe("flags > environment > file", () => {
  it("PORT beats server.port; --port beats PORT", async () => {
    const [file, env, flag] = [await freePort(), await freePort(), await freePort()];
    const config = writeConfig(`server: { port: ${file} }\n`);
    assert.equal(new URL(await listeningUrl(["--config", config], { PORT: String(env) })).port, String(env));
    assert.equal(new URL(await listeningUrl(["--config", config, "--port", String(flag)], { PORT: String(env) })).port, String(flag));
  });

  it("BASALT_HOST beats server.host; --host beats BASALT_HOST", async () => {
    const config = writeConfig("server: { port: 0, host: 127.0.0.1 }\n");
    assert.match(await listeningUrl(["--config", config], { BASALT_HOST: "127.0.0.2" }), /^http:\/\/127\.0\.0\.2:/);
    assert.match(await listeningUrl(["--config", config, "--host", "127.0.0.3"], { BASALT_HOST: "127.0.0.2" }), /^http:\/\/127\.0\.0\.3:/);
  });

  it("BASALT_CONFIG names the config file when --config does not", async () => {
    const config = writeConfig("models:\n  - { id: from.env.config, provider: echo }\n");
    const b = await startBasalt({ env: { BASALT_CONFIG: config } });
    try {
      assert.match(b.output(), /"models":\["from\.env\.config"\]/);
    } finally {
      await b.stop();
    }
  });
});

describe("start-up messages about the config", () => {
  it("models: [] starts with a warning that nothing is served", async () => {
    const b = await startBasalt({ config: writeConfig("models: []\n") });
    try {
      const find = () => logLines(b.output()).find((l) => l.level === 40 && /models: \[\]/.test(l.msg));
      for (let i = 0; i < 200 && !find(); i++) await new Promise((r) => setTimeout(r, 50));
      const warn = find();
      assert.ok(warn, b.output());
      assert.match(warn.msg, /serves no models/);
    } finally {
      await b.stop();
    }
  });

  it("an empty config file is called empty, not missing", async () => {
    const config = writeConfig("# nothing yet\n\n");
    const b = await startBasalt({ config });
    try {
      const start = () => logLines(b.output()).find((l) => /serving basalt\.echo only/.test(l.msg));
      for (let i = 0; i < 200 && !start(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(start()?.msg ?? b.output(), new RegExp(`config file ${config.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is empty`));
      assert.doesNotMatch(b.output(), /no config file/);
    } finally {
      await b.stop();
    }
  });
});

describe("TLS files: errors name the flag", () => {
  let dir: string;
  let cert: string;
  let key: string;
  let otherKey: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "basalt-tls-"));
    [cert, key, otherKey] = ["cert.pem", "key.pem", "other-key.pem"].map((f) => join(dir, f));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", otherKey], { stdio: "ignore" });
  });
  after(() => undefined);

  it("swapped --tls-cert and --tls-key", async () => {
    const r = await runCli(["--port", "0", "--tls-cert", key, "--tls-key", cert]);
    assert.equal(r.code, 2);
    assert.match(r.output, /--tls-cert and --tls-key look swapped: --tls-cert \(.*key\.pem\) holds a private key and --tls-key \(.*cert\.pem\) a certificate/);
    assert.doesNotMatch(r.output, /BEGIN|error:[0-9A-F]{8}/);
  });

  it("a key that does not match the certificate", async () => {
    const r = await runCli(["--port", "0", "--tls-cert", cert, "--tls-key", otherKey]);
    assert.equal(r.code, 2);
    assert.match(r.output, /--tls-key: the private key in .*other-key\.pem does not match the certificate in --tls-cert/);
  });

  it("a file that is neither", async () => {
    const junk = join(dir, "junk.pem");
    writeFileSync(junk, "not a pem file\n");
    const r = await runCli(["--port", "0", "--tls-cert", junk, "--tls-key", key]);
    assert.equal(r.code, 2);
    assert.match(r.output, /--tls-cert: .*junk\.pem holds no PEM certificate/);
  });

  it("the same checks name the environment variables when they gave the files", async () => {
    const r = await runCli(["--port", "0"], { BASALT_TLS_CERT: key, BASALT_TLS_KEY: cert });
    assert.equal(r.code, 2);
    assert.match(r.output, /BASALT_TLS_CERT and BASALT_TLS_KEY look swapped/);
  });
});
