// Issue 10, item 4: a production install gives a working `basalt` binary, both ways the README documents.
//   1. A fresh clone, `npm ci --omit=dev`: no dev or benchmark-only package is installed, `prepare` builds
//      dist/ without the dev dependencies, and `npx basalt --config x.yaml` serves a Converse.
//   2. `npm pack`, then `npm i -g ./basalt-*.tgz` (into a private prefix): `basalt --config x.yaml` serves one.
// Each needs the npm registry and minutes (better-sqlite3 compiles when no prebuilt binary can be fetched), so
// it runs only when asked: BASALT_TEST_INSTALL=1 node --import tsx --test test/ops/production-install.cases.ts
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { h1Client } from "../helpers/clients.js";
import { writeConfig } from "../helpers/start-basalt.js";
import { portIsFree, within } from "./process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const skip = process.env.BASALT_TEST_INSTALL === "1" ? false : "needs the npm registry and minutes: set BASALT_TEST_INSTALL=1";
let work = "";
const INSTALL_TIMEOUT_MS = 20 * 60_000;

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { cwd, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.join(" ")} failed:\n${stdout}\n${stderr}`)) : resolve(stdout + stderr)),
  );
}

/** Starts a `basalt` command, sends one Converse, stops it with SIGTERM; returns the reply text. */
async function serveOneConverse(command: string, args: string[], cwd: string): Promise<string> {
  const config = writeConfig("models:\n  - { id: installed.echo, provider: echo }\n");
  const child = spawn(command, [...args, "--config", config, "--port", "0"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let port = 0;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 60_000);
      child.stdout.on("data", () => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) (clearTimeout(t), resolve(m[1]));
      });
      void exited.then((code) => (clearTimeout(t), reject(new Error(`exited ${code}:\n${out}`))));
    });
    port = Number(new URL(url).port);
    const client = h1Client(url);
    const r = await client.send(new ConverseCommand({ modelId: "installed.echo", messages: [{ role: "user", content: [{ text: "installed" }] }] }));
    client.destroy();
    return r.output!.message!.content![0].text!;
  } finally {
    child.kill("SIGTERM");
    // Run directly, basalt exits 0. Under npx, npm exec dies of the signal itself (no exit code) after passing it
    // on; either way the server must be gone.
    const code = await exited;
    assert.ok(code === 0 || (code === null && command === "npx"), `exit ${code}:\n${out}`);
    assert.ok((await within(10_000, () => portIsFree(port))) !== undefined, `port ${port} still bound:\n${out}`);
  }
}

describe("production install", { skip }, () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), "basalt-install-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("a fresh clone: npm ci --omit=dev, then npx basalt serves a Converse", { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const clone = join(work, "clone");
    await run("git", ["clone", "--quiet", ROOT, clone], work);
    const log = await run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], clone);
    for (const dev of ["typescript", "autocannon", "@portkey-ai/gateway", "tsx", "openai", "@aws-sdk/client-bedrock-runtime"]) {
      assert.equal(existsSync(join(clone, "node_modules", dev)), false, `${dev} was installed`);
    }
    assert.ok(existsSync(join(clone, "dist", "cli.js")), `prepare built nothing:\n${log}`);
    assert.equal(await serveOneConverse("npx", ["--no-install", "basalt"], clone), "installed");
  });

  it("npm pack, then npm i -g ./basalt-*.tgz: basalt --config x.yaml serves a Converse", { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const packed = join(work, "packed");
    await run("npm", ["pack", "--pack-destination", work.replace(/\/$/, "")], ROOT);
    const tarball = readdirSync(work).find((f) => /^basalt-.*\.tgz$/.test(f));
    assert.ok(tarball, "npm pack made no tarball");
    await run("npm", ["install", "--global", "--prefix", packed, "--no-audit", "--no-fund", join(work, tarball)], work);
    assert.equal(await serveOneConverse(join(packed, "bin", "basalt"), [], work), "installed");
  });
});
