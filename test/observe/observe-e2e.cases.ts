// Observability end to end on the default SQLite ledger, through the official JS SDK against the real CLI:
// usage by model, caller and operation matches the calls made exactly; the call history lists them newest
// first with their bodies and clears; /metrics parses and agrees; the ledger survives kill -9.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { h2Client } from "../helpers/clients.js";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { MIX_ADMIN_KEY, MIX_AUTH, MIX_CALLERS, MIX_CONFIG_MODELS, runMix, servedModel } from "./call-mix.js";
import { adminFetch, checkCalls, checkMetrics, checkUsage, checkUsageCsv, getJson, type AdminTarget } from "./ledger-checks.js";

const dataDir = () => mkdtempSync(join(tmpdir(), "basalt-observe-"));

test("usage, calls and metrics agree with a mix of calls by two callers (SQLite ledger, auth on, history bodies on loopback)", async () => {
  const basalt = await startBasalt({ config: writeConfig(`server: { dataDir: "${dataDir()}" }\n${MIX_CONFIG_MODELS}${MIX_AUTH}`) });
  const node: AdminTarget = { url: basalt.url, adminKey: MIX_ADMIN_KEY };
  try {
    const made = await runMix([basalt.url], MIX_CALLERS);
    await checkUsage(node, made, "model", servedModel);
    await checkUsage(node, made, "caller", (m) => m.caller);
    await checkUsage(node, made, "operation", (m) => m.operation);
    await checkUsageCsv(node, made);
    const calls = await checkCalls(node, made, { bodies: true });

    // Bodies: a Converse answer as JSON, a stream as its events, an error as its JSON body.
    const byId = new Map(calls.map((c) => [c.requestId, c]));
    const converse = byId.get(made[0].requestId)!.response as { output: { message: { content: { text: string }[] } } };
    assert.equal(converse.output.message.content[0].text, "one two three");
    const events = byId.get(made[1].requestId)!.response as Record<string, unknown>[];
    assert.deepEqual(events.map((e) => Object.keys(e)[0]), ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
    const cut = byId.get(made[8].requestId)!.response as Record<string, unknown>[];
    assert.equal(Object.keys(cut.at(-1)!)[0], "throttlingException", "a stream's exception event is the last event");
    assert.deepEqual(byId.get(made[7].requestId)!.response, { message: "The provided model identifier is invalid." });

    // Filters.
    const streams = await getJson<{ requestId: string }[]>(node, "/_basalt/calls?operation=ConverseStream");
    assert.deepEqual(streams.map((c) => c.requestId), [made[8].requestId, made[1].requestId]);
    const throttled = await getJson<{ requestId: string }[]>(node, "/_basalt/calls?status=ThrottlingException");
    assert.equal(throttled.length, 2);
    const cheap = await getJson<{ requestId: string }[]>(node, "/_basalt/calls?model=test.cheap&status=ok");
    assert.equal(cheap.length, 3);
    const bob = await getJson<{ requestId: string }[]>(node, "/_basalt/calls?caller=bob");
    assert.deepEqual(bob.map((c) => c.requestId), made.filter((m) => m.caller === "bob").reverse().map((m) => m.requestId));

    await checkMetrics(node, made);

    // The admin routes (and /metrics) want the admin key when auth is on; the console page is a data-free shell.
    for (const path of ["/_basalt/usage", "/_basalt/calls", "/metrics", "/_basalt/console/models"]) {
      const res = await fetch(basalt.url + path);
      assert.equal(res.status, 403, path);
      assert.doesNotMatch(await res.text(), /basalt\.echo|alice/);
    }
    const page = await fetch(basalt.url + "/_basalt/console");
    assert.equal(page.status, 200);
    assert.doesNotMatch(await page.text(), /test\.cheap|alice/);

    // DELETE clears the history (the list starts after it) but not the ledger.
    const cleared = await getJson<{ cleared: number }>(node, "/_basalt/calls", { method: "DELETE" });
    assert.equal(cleared.cleared, made.length);
    assert.deepEqual(await getJson(node, "/_basalt/calls"), []);
    const client = h2Client(basalt.url, { credentials: MIX_CALLERS[1].credentials });
    const after = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "after the clear" }] }] }));
    client.destroy();
    const list = await getJson<{ requestId: string; caller: string }[]>(node, "/_basalt/calls");
    assert.deepEqual(list.map((c) => [c.requestId, c.caller]), [[after.$metadata.requestId, "bob"]]);
    const usage = await getJson<{ requests: number }[]>(node, "/_basalt/usage?groupBy=operation");
    assert.equal(usage.reduce((n, r) => n + r.requests, 0), made.length + 1, "the ledger keeps every call, and no admin call");

    // Bad parameters are typed 400s naming the parameter.
    for (const [path, word] of [["/_basalt/usage?groupBy=colour", "groupBy"], ["/_basalt/usage?from=yesterday", "from"], ["/_basalt/calls?limit=0", "limit"], ["/_basalt/calls?modle=x", "modle"]]) {
      const res = await adminFetch(node, path);
      assert.equal(res.status, 400, path);
      assert.match(res.headers.get("x-amzn-errortype")!, /^ValidationException/);
      assert.match(((await res.json()) as { message: string }).message, new RegExp(word));
    }

    // One log line per call, carrying the id the client got and the caller; no secret in the log.
    for (const m of made) {
      const line = basalt.output().split("\n").find((l) => l.includes(`"requestId":"${m.requestId}"`));
      assert.ok(line, `log line for ${m.requestId}`);
      assert.match(line, new RegExp(`"caller":"${m.caller}"`));
    }
    for (const secret of ["alice-secret-key", "bob-secret-key", MIX_ADMIN_KEY]) assert.ok(!basalt.output().includes(secret), "no secret in the log");
  } finally {
    await basalt.stop();
  }
});

test("history bodies are off when the server is exposed (0.0.0.0) unless configured", async () => {
  const basalt = await startBasalt({ config: writeConfig(`server: { dataDir: "${dataDir()}", host: "0.0.0.0" }\n${MIX_CONFIG_MODELS}`) });
  try {
    const url = basalt.url.replace("0.0.0.0", "127.0.0.1");
    const made = await runMix([url]);
    await checkCalls({ url }, made, { bodies: false });
  } finally {
    await basalt.stop();
  }
});

test("the ledger survives kill -9: every call older than a second is there after a restart", async () => {
  const dir = dataDir();
  const config = writeConfig(`server: { dataDir: "${dir}" }\n${MIX_CONFIG_MODELS}`);
  let basalt = await startBasalt({ config });
  const client = h2Client(basalt.url);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: `call ${i}` }] }] }));
    ids.push(out.$metadata.requestId!);
  }
  client.destroy();
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(await basalt.stop("SIGKILL"), null);
  basalt = await startBasalt({ config });
  try {
    const calls = await getJson<{ requestId: string }[]>(basalt, "/_basalt/calls?limit=100");
    assert.deepEqual(calls.map((c) => c.requestId).sort(), [...ids].sort());
    const [row] = await getJson<{ requests: number; inputTokens: number }[]>(basalt, "/_basalt/usage?groupBy=model");
    assert.equal(row.requests, 20);
  } finally {
    await basalt.stop();
  }
});

test("nothing acknowledged is lost on kill -9: a burst killed 50 ms after its last answer is all there after a restart", async () => {
  const dir = dataDir();
  const config = writeConfig(`server: { dataDir: "${dir}/burst" }\n${MIX_CONFIG_MODELS}`);
  let basalt = await startBasalt({ config });
  const client = h2Client(basalt.url);
  const outs = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: `burst ${i}` }] }] }))));
  // 50 ms: far inside the ledger's half-second batch window (without the journal these rows are lost), and past
  // the moment a call's record reaches the journal (the end of the event-loop turn its response closed in).
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await basalt.stop("SIGKILL"), null);
  client.destroy();
  const ids = outs.map((o) => o.$metadata.requestId!);
  basalt = await startBasalt({ config });
  try {
    const calls = await getJson<{ requestId: string }[]>(basalt, "/_basalt/calls?limit=100");
    assert.deepEqual(calls.map((c) => c.requestId).sort(), [...ids].sort());
    const [row] = await getJson<{ requests: number }[]>(basalt, "/_basalt/usage?groupBy=model");
    assert.equal(row.requests, 50);
    // A second restart writes nothing twice: the journal's files went once their rows were in.
    await basalt.stop();
    basalt = await startBasalt({ config });
    const [again] = await getJson<{ requests: number }[]>(basalt, "/_basalt/usage?groupBy=model");
    assert.equal(again.requests, 50);
  } finally {
    await basalt.stop();
  }
});

test("ledger off: no ledger table, /_basalt/calls answers from the history ring, usage says why it has nothing", async () => {
  const dir = dataDir();
  const basalt = await startBasalt({ config: writeConfig(`server: { dataDir: "${dir}/data", ledger: { enabled: false }, metrics: { enabled: false } }\n${MIX_CONFIG_MODELS}`) });
  try {
    const made = await runMix([basalt.url]);
    await checkCalls(basalt, made, { bodies: true });
    const res = await fetch(`${basalt.url}/_basalt/usage`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /ledger is off/);
    assert.equal((await fetch(`${basalt.url}/metrics`)).status, 404);
    const db = new SqliteDatabase(`${dir}/data/basalt.db`);
    assert.deepEqual(await db.query("SELECT name FROM sqlite_master WHERE name = 'basalt_call_ledger'"), []);
    await db.close();
  } finally {
    await basalt.stop();
  }
});
