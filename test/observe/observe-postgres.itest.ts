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
import { MIX_ADMIN_KEY, MIX_AUTH, MIX_CALLERS, MIX_CONFIG_MODELS, runMix, servedModel } from "./call-mix.js";
import { checkMetrics, checkUsage, getJson } from "./ledger-checks.js";

test("two nodes, one Postgres ledger: usage, calls and metrics agree with the calls made on both", async () => {
  const postgres = await startPostgres();
  const config = (name: string) =>
    writeConfig(`server: { dataDir: "${mkdtempSync(join(tmpdir(), `basalt-${name}-`))}" }\nstorage: { postgres: "${postgres.url}" }\n${MIX_CONFIG_MODELS}${MIX_AUTH}`);
  const [a, b] = await Promise.all([startBasalt({ config: config("a") }), startBasalt({ config: config("b") })]);
  try {
    const made = await runMix([a.url, b.url], MIX_CALLERS);
    const [na, nb] = [a, b].map((n) => ({ url: n.url, adminKey: MIX_ADMIN_KEY }));
    // Each node writes its own calls; asking each once makes both flush, then either sees all.
    await getJson(nb, "/_basalt/calls?limit=1");
    for (const node of [na, nb]) {
      await checkUsage(node, made, "model", servedModel);
      await checkUsage(node, made, "caller", (m) => m.caller);
      // Bodies live in each node's memory; the list itself is the shared ledger.
      const calls = await getJson<{ requestId: string }[]>(node, "/_basalt/calls?limit=100");
      assert.deepEqual(calls.map((c) => c.requestId), [...made].reverse().map((m) => m.requestId));
    }
    // Node a's own calls (even steps) carry their bodies when listed there.
    const onA = await getJson<{ requestId: string; request?: unknown }[]>(na, "/_basalt/calls?limit=100");
    const aIds = new Set(made.filter((_, i) => i % 4 < 2).map((m) => m.requestId));
    for (const c of onA) assert.equal(c.request !== undefined, aIds.has(c.requestId), `bodies of ${c.requestId} only where it ran`);

    await checkMetrics(na, made.filter((_, i) => i % 4 < 2));
    await checkMetrics(nb, made.filter((_, i) => i % 4 >= 2));

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
