// The clients of Redis, Postgres and S3 (and the upstream HTTP pool) are loaded only when configured: a node on
// the embedded defaults serving echo never pays their memory (~35 MB of resident memory together). Checked in a
// fresh node process — this test process has them loaded by other suites — that starts Basalt, serves a call,
// and lists what the CommonJS loader has seen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function loadedPackages(yaml: string): string[] {
  const script = `
    import { createRequire } from "node:module";
    const { startBasalt } = await import("./dist/app.js");
    const { parseConfig } = await import("./dist/config/load-config.js");
    const config = parseConfig(process.argv[1], "(test)", process.env);
    config.server.port = 0;
    const app = await startBasalt(config, {});
    const res = await fetch(app.url + "/model/basalt.echo/converse", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
    });
    if (res.status !== 200) throw new Error("the call failed: " + res.status);
    const seen = Object.keys(createRequire(import.meta.url).cache);
    await app.stop();
    process.stdout.write(JSON.stringify(seen));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, yaml], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, BASALT_LOG_LEVEL: "error" } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.slice(run.stdout.indexOf("["))) as string[];
}

const HEAVY = ["/node_modules/ioredis/", "/node_modules/pg/", "/node_modules/@aws-sdk/client-s3/", "/node_modules/undici/"];

test("the embedded defaults load no Redis, Postgres, S3 or upstream HTTP client", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-lazy-"));
  const seen = loadedPackages(`server: { dataDir: "${dataDir}" }\n`);
  assert.ok(seen.some((f) => f.includes("/node_modules/")), "the probe sees CommonJS modules at all");
  for (const heavy of HEAVY) assert.deepEqual(seen.filter((f) => f.includes(heavy)), [], `${heavy} was loaded`);
});

test("a configured upstream loads the HTTP client (the probe can tell)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-lazy-"));
  const seen = loadedPackages(`server: { dataDir: "${dataDir}" }
providers:
  up: { type: openai, baseUrl: "http://127.0.0.1:9" }
models:
  - { id: basalt.echo, provider: echo }
  - { id: remote.model, provider: up }
`);
  assert.ok(seen.some((f) => f.includes("/node_modules/undici/")), "undici is loaded once an upstream exists");
});
