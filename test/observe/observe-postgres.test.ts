// The same checks with Postgres as the ledger and two Basalt nodes writing to it: usage on either node counts
// the calls made on both; the call list is one list, newest first; each node's metrics count its own calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { startPostgres } from "../helpers/services.js";
import { MIX_CONFIG_MODELS, runMix, servedModel } from "./call-mix.js";
import { checkMetrics, checkUsage, getJson } from "./ledger-checks.js";

test("two nodes, one Postgres ledger: usage, calls and metrics agree with the calls made on both", async () => {
  const postgres = await startPostgres();
  const config = (name: string) =>
    writeConfig(`server: { dataDir: "${mkdtempSync(join(tmpdir(), `basalt-${name}-`))}" }\nstorage: { postgres: "${postgres.url}" }\n${MIX_CONFIG_MODELS}`);
  const [a, b] = await Promise.all([startBasalt({ config: config("a") }), startBasalt({ config: config("b") })]);
  try {
    const made = await runMix([a.url, b.url]);
    // Each node writes its own calls; asking each once makes both flush, then either sees all.
    await getJson(`${b.url}/_basalt/calls?limit=1`);
    for (const node of [a, b]) {
      await checkUsage(node.url, made, "model", servedModel);
      await checkUsage(node.url, made, "caller", () => "anonymous");
      // Bodies live in each node's memory; the list itself is the shared ledger.
      const calls = await getJson<{ requestId: string }[]>(`${node.url}/_basalt/calls?limit=100`);
      assert.deepEqual(calls.map((c) => c.requestId), [...made].reverse().map((m) => m.requestId));
    }
    // Node a's own calls (even steps) carry their bodies when listed there.
    const onA = await getJson<{ requestId: string; request?: unknown }[]>(`${a.url}/_basalt/calls?limit=100`);
    const aIds = new Set(made.filter((_, i) => i % 4 < 2).map((m) => m.requestId));
    for (const c of onA) assert.equal(c.request !== undefined, aIds.has(c.requestId), `bodies of ${c.requestId} only where it ran`);

    await checkMetrics(a.url, made.filter((_, i) => i % 4 < 2));
    await checkMetrics(b.url, made.filter((_, i) => i % 4 >= 2));

    // The rows really are in Postgres.
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query("SELECT COUNT(*)::int AS n FROM basalt_call_ledger");
    await client.end();
    assert.equal(rows[0].n, made.length);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await postgres.stop();
  }
});
