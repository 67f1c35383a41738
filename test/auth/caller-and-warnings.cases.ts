// The caller's name travels to the call record (logs, metrics, the ledger read it), and a Basalt without
// auth says so at start-up when it is bound beyond loopback.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt as startInProcess, type Basalt } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { CallRecord } from "../../src/core/call-record.js";
import { isLoopbackHost } from "../../src/auth/open-access-warning.js";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, testDataDir, writeConfig } from "../helpers/start-basalt.js";

const AUTH_YAML = `
server: { port: 0 }
auth:
  keys:
    - { name: team-a, accessKeyId: AKIDBASALTTEST, secretAccessKey: basalt-test-secret }
`;

describe("the caller in the call record", () => {
  const records: CallRecord[] = [];
  let basalt: Basalt;
  before(async () => {
    const config = parseConfig(AUTH_YAML, "test");
    config.server.dataDir = testDataDir();
    basalt = await startInProcess(config, { observers: [{ name: "collect", observe: (r) => void records.push({ ...r }) }] });
  });
  after(() => basalt.stop());

  it("names the key of an admitted call and leaves a refused one anonymous", async () => {
    const good = h2Client(basalt.url);
    const stranger = h1Client(basalt.url, { credentials: { accessKeyId: "AKIDSTRANGER", secretAccessKey: "whatever" } });
    try {
      await good.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "who am i" }] }] }));
      await stranger.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "x" }] }] })).catch(() => undefined);
    } finally {
      good.destroy();
      stranger.destroy();
    }
    for (let i = 0; i < 50 && records.length < 2; i++) await sleep(10);
    assert.deepEqual(records.map((r) => [r.caller, r.operation, r.status, r.errorName]), [
      ["team-a", "Converse", 200, undefined],
      ["anonymous", "", 403, "UnrecognizedClientException"],
    ]);
  });
});

describe("the start-up warning without auth", () => {
  const WARNING = /no auth section in the config: anyone who can reach/;
  it("is logged when bound to every interface, not on loopback, not with auth", async () => {
    const open = await startBasalt({ args: ["--host", "0.0.0.0"] });
    const local = await startBasalt();
    const guarded = await startBasalt({ args: ["--host", "0.0.0.0"], config: writeConfig(AUTH_YAML.replace("server: { port: 0 }", "")) });
    try {
      assert.match(open.output(), WARNING);
      assert.doesNotMatch(local.output(), WARNING);
      assert.doesNotMatch(guarded.output(), WARNING);
    } finally {
      await Promise.all([open.stop(), local.stop(), guarded.stop()]);
    }
  });

  it("knows loopback addresses", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]) assert.ok(isLoopbackHost(h), h);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1"]) assert.ok(!isLoopbackHost(h), h);
  });
});
