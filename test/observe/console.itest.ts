// The web console in a real browser (Debian's Chromium driven by playwright-core), against a real Basalt with
// auth on: the key form, the served models, charts drawn from the ledger's real data, a playground prompt
// streamed from basalt.echo, and that call found in the recent-calls table with its request and response.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { MIX_ADMIN_KEY, MIX_AUTH, MIX_CALLERS, MIX_CONFIG_MODELS, runMix, servedModel } from "./call-mix.js";

const API_KEY = "console-api-key-0123456789";
const SCREENSHOT = "/tmp/console.png";

test("console: key form, models, charts from the ledger, a streamed playground answer, the call in the table", async () => {
  const auth = MIX_AUTH.replace("  keys:\n", `  keys:\n    - { name: console-user, apiKey: ${API_KEY} }\n`);
  const basalt = await startBasalt({ config: writeConfig(`server: { dataDir: "${mkdtempSync(join(tmpdir(), "basalt-console-"))}" }\n${MIX_CONFIG_MODELS}${auth}`) });
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "basalt-chromium-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const made = await runMix([basalt.url], MIX_CALLERS);
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on("pageerror", (err) => consoleErrors.push(err.message));
    await page.goto(`${basalt.url}/_basalt/console`);

    // Auth is on: the page asks for the keys before it shows anything.
    await page.getByLabel("Admin key").waitFor();
    await page.getByLabel("Admin key").fill(MIX_ADMIN_KEY);
    await page.getByLabel("API key").fill(API_KEY);
    await page.getByRole("button", { name: "Use keys" }).click();

    // Served models with their providers.
    const models = page.locator("#models-table tbody tr");
    await models.first().waitFor();
    assert.deepEqual(await models.locator("td:first-child").allTextContents(), ["basalt.echo", "test.cheap", "test.unpriced"]);

    // Charts: bars per model and per caller, whose values add up to the ledger's request counts.
    await page.locator("#chart-model svg rect[data-group]").first().waitFor();
    const barTotals = async (chart: string) =>
      page.locator(`${chart} svg rect[data-group]`).evaluateAll((rects) => {
        const sums: Record<string, number> = {};
        for (const r of rects) sums[r.getAttribute("data-group")!] = (sums[r.getAttribute("data-group")!] ?? 0) + Number(r.getAttribute("data-value"));
        return sums;
      });
    const byModel: Record<string, number> = {};
    const byCaller: Record<string, number> = {};
    for (const m of made) {
      byModel[servedModel(m)] = (byModel[servedModel(m)] ?? 0) + 1;
      byCaller[m.caller] = (byCaller[m.caller] ?? 0) + 1;
    }
    assert.deepEqual(await barTotals("#chart-model"), byModel);
    assert.deepEqual(await barTotals("#chart-caller"), byCaller);
    assert.equal(await page.locator("#totals b").first().textContent(), String(made.length));
    assert.equal(await page.getByRole("img", { name: "Usage by model over time" }).count(), 1);

    // The playground streams a ConverseStream from basalt.echo.
    const prompt = "hello from the console playground";
    assert.equal(await page.locator("#pg-model").inputValue(), "basalt.echo");
    await page.getByLabel("Prompt").fill(prompt);
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForFunction((p) => document.getElementById("pg-output")?.textContent === p, prompt);
    await page.waitForFunction(() => document.getElementById("pg-status")?.textContent?.startsWith("done · end_turn"));

    // The call is in the recent-calls <table>, newest first, as the API key's caller; it opens with its bodies.
    const table = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Operation" }) });
    assert.equal(await table.evaluate((t) => t.tagName), "TABLE");
    const firstRow = table.locator("tbody tr").first();
    await page.waitForFunction(() => document.querySelector("#calls-table tbody tr td:nth-child(4)")?.textContent === "console-user");
    assert.deepEqual((await firstRow.locator("td").allTextContents()).slice(1, 5), ["ConverseStream", "basalt.echo", "console-user", "200"]);
    await firstRow.getByRole("button").click();
    const request = JSON.parse((await page.getByLabel("Request", { exact: true }).textContent())!) as { messages: { content: { text: string }[] }[] };
    assert.equal(request.messages[0].content[0].text, prompt);
    const response = JSON.parse((await page.getByLabel("Response", { exact: true }).textContent())!) as Record<string, { delta?: { text: string } }>[];
    assert.equal(response.map((e) => e.contentBlockDelta?.delta?.text ?? "").join(""), prompt);

    // The chart now counts the playground call too.
    await page.waitForFunction(
      (n) => [...document.querySelectorAll("#chart-model svg rect[data-group='basalt.echo']")].reduce((s, r) => s + Number(r.getAttribute("data-value")), 0) === n,
      byModel["basalt.echo"] + 1,
    );

    // An id as sent may be 2,048 characters: it is cut in the charts' legends, the page keeps its width.
    const longId = `acme.${"x".repeat(1500)}`;
    await fetch(`${basalt.url}/model/${longId}/converse`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
    });
    await page.reload();
    await page.getByLabel("Admin key").fill(MIX_ADMIN_KEY);
    await page.getByLabel("API key").fill(API_KEY);
    await page.getByRole("button", { name: "Use keys" }).click();
    await page.locator(`#chart-model .legend span[data-group='${longId}']`).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal overflow");

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    await basalt.stop();
  }
});
