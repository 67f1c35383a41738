// Issue 21, item 2: paths, model ids, methods and labels named after members every JavaScript object inherits
// (`constructor`, `__proto__`, `toString`, …) are ordinary unknown names: a typed 4xx within 2 s on HTTP/1.1
// and HTTP/2, at every front door — never a hang, never a 500.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Basalt } from "../../src/app.js";
import { startInProcess } from "./harness.js";
import { RAW_TRANSPORTS, h2 } from "./raw-http.js";

let basalt: Basalt;
before(async () => {
  basalt = await startInProcess("models:\n  - { id: basalt.echo, provider: echo }\n");
});
after(() => basalt.stop());

const NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__", "prototype"];
const CONVERSE = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });

/** [method, path] pairs naming a built-in member where a route segment, label or model id goes. */
function paths(name: string): [string, string][] {
  return [
    ["POST", `/model/basalt.echo/${name}`],
    ["POST", `/model/${name}/converse`],
    ["POST", `/model/${name}/invoke`],
    ["POST", `/model/${name}/count-tokens`],
    ["POST", `/model/${encodeURIComponent(`arn:aws:bedrock:us-east-1::foundation-model/${name}`)}/converse`],
    ["POST", `/${name}`],
    ["GET", `/${name}`],
    ["POST", `/model/${name}`],
    ["GET", `/async-invoke/${name}`],
    ["POST", `/guardrail/${name}/version/${name}/apply`],
    ["GET", `/foundation-models/${name}`],
    ["GET", `/${name}/${name}`],
    ["GET", `/_basalt/${name}`],
    ["POST", `/_basalt/scripts/${name}`],
    ["DELETE", `/_basalt/scripts/${name}`],
  ];
}

const BUDGET_MS = 2_000;

for (const [transport, send] of RAW_TRANSPORTS) {
  test(`${transport}: every prototype-named path answers a typed 4xx within ${BUDGET_MS} ms`, async () => {
    const wrong: string[] = [];
    for (const name of NAMES) {
      for (const [method, path] of paths(name)) {
        const a = await send(basalt.url, { method, path, body: method === "GET" ? "" : CONVERSE, timeoutMs: 5_000 }).catch((err: Error) => err);
        if (a instanceof Error) wrong.push(`${method} ${path}: ${a.message}`);
        else if (a.status < 400 || a.status >= 500 || !a.errorType || a.ms > BUDGET_MS) {
          wrong.push(`${method} ${path}: ${a.status} ${a.errorType} in ${a.ms} ms ${a.body.slice(0, 120)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });
}

test("HTTP/2: methods named after built-in members are unknown operations", async () => {
  const wrong: string[] = [];
  for (const name of NAMES) {
    const a = await h2(basalt.url, { method: name.toUpperCase() === name ? name : name, path: "/model/basalt.echo/converse", body: CONVERSE, timeoutMs: 5_000 })
      .catch((err: Error) => err);
    if (a instanceof Error) wrong.push(`${name}: ${a.message}`);
    else if (a.status !== 404 || a.errorType !== "UnknownOperationException") wrong.push(`${name}: ${a.status} ${a.errorType}`);
  }
  assert.deepEqual(wrong, []);
});

test("the server still answers after all of them", async () => {
  for (const [, send] of RAW_TRANSPORTS) {
    const a = await send(basalt.url, { path: "/model/basalt.echo/converse", body: CONVERSE });
    assert.equal(a.status, 200, a.body);
  }
});
