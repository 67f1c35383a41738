// Issue 21, item 8: what a web page can make a visitor's browser do to a Basalt on loopback. Bodies a
// browser may send cross-origin without a preflight (text/plain, forms) are refused, as is anything but
// JSON on JSON operations; a request naming a foreign Host (DNS rebinding) is refused unless the name is in
// server.allowedHosts; a browser's cross-origin request (an Origin naming another host) is refused; no CORS
// header is ever sent. Official clients are unaffected.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConverseCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import type { Basalt } from "../../src/app.js";
import { transports } from "../helpers/clients.js";
import { startInProcess } from "./harness.js";
import { RAW_TRANSPORTS, h1, h2, type RawAnswer } from "./raw-http.js";

const MODELS = "models:\n  - { id: basalt.echo, provider: echo }\n  - { id: amazon.titan-text-express-v1, provider: echo }\n";
const CONVERSE = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });

let loopback: Basalt;
let listed: Basalt;
before(async () => {
  loopback = await startInProcess(MODELS);
  listed = await startInProcess(`server: { allowedHosts: [basalt.internal, "gateway.example:8443"] }\n${MODELS}`);
});
after(async () => {
  await loopback.stop();
  await listed.stop();
});

const port = (b: Basalt) => b.server.port;

function assertNoCors(a: RawAnswer): void {
  for (const name of Object.keys(a.headers)) assert.doesNotMatch(name, /^access-control-/i, `CORS header ${name}`);
}

describe("content types", () => {
  for (const [name, send] of RAW_TRANSPORTS) {
    test(`${name}: text/plain, form and multipart bodies are refused with a typed 400 at every JSON operation`, async () => {
      const wrong: string[] = [];
      for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]) {
        for (const path of ["/model/basalt.echo/converse", "/model/basalt.echo/converse-stream", "/model/basalt.echo/count-tokens",
          "/model/amazon.titan-text-express-v1/invoke", "/guardrail/g1/version/1/apply", "/_basalt/scripts"]) {
          const body = path.endsWith("/invoke") ? JSON.stringify({ inputText: "hi" }) : CONVERSE;
          const a = await send(loopback.url, { path, body, headers: { "content-type": type } });
          assertNoCors(a);
          if (a.status !== 400 || a.errorType !== "ValidationException") wrong.push(`${type} ${path}: ${a.status} ${a.errorType}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  test("application/json with a charset, and no content type on InvokeModel (boto3's way), are served", async () => {
    const a = await h1(loopback.url, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: { "content-type": "application/json; charset=utf-8" } });
    assert.equal(a.status, 200, a.body);
    const b = await h2(loopback.url, {
      path: "/model/amazon.titan-text-express-v1/invoke", body: JSON.stringify({ inputText: "hi" }), headers: { "content-type": "" },
    });
    assert.equal(b.status, 200, b.body);
  });
});

describe("Host names (DNS rebinding)", () => {
  for (const [name, send] of RAW_TRANSPORTS) {
    test(`${name}: a foreign Host is refused with AccessDeniedException; loopback names are served`, async () => {
      const hostHeader = (host: string): Record<string, string> => (name === "HTTP/2" ? { ":authority": host } : { host });
      for (const host of ["evil.example", `evil.example:${port(loopback)}`, "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.8"]) {
        const a = await send(loopback.url, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: hostHeader(host) });
        assert.equal(a.status, 403, `${host}: ${a.status} ${a.body}`);
        assert.equal(a.errorType, "AccessDeniedException");
        assertNoCors(a);
      }
      for (const host of [`localhost:${port(loopback)}`, `127.0.0.1:${port(loopback)}`, `[::1]:${port(loopback)}`, "app.localhost", "127.8.9.10"]) {
        const a = await send(loopback.url, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: hostHeader(host) });
        assert.equal(a.status, 200, `${host}: ${a.status} ${a.body}`);
      }
    });
  }

  test("server.allowedHosts admits the names it lists (with or without a port), and nothing else", async () => {
    for (const [host, status] of [
      ["basalt.internal", 200], [`basalt.internal:${port(listed)}`, 200], ["gateway.example:8443", 200],
      ["gateway.example:9999", 403], ["gateway.example", 403], ["other.internal", 403], [`localhost:${port(listed)}`, 200],
    ] as const) {
      const a = await h1(listed.url, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: { host } });
      assert.equal(a.status, status, `${host}: ${a.body}`);
    }
  });

  test("each Host keeps its own answer, however many were seen before and in whatever order", async () => {
    // The gate remembers its answer per Host (bounded): more distinct names than it keeps, interleaved
    // allowed and refused, a name asked twice and after the memory was cleared.
    const hosts: [string, number][] = [];
    for (let i = 0; i < 300; i++) hosts.push([i % 3 === 0 ? `rebound-${i}.example` : i % 3 === 1 ? `127.0.0.${(i % 250) + 1}:${port(listed)}` : "basalt.internal", i % 3 === 0 ? 403 : 200]);
    hosts.push(["rebound-0.example", 403], ["basalt.internal", 200], ["Basalt.Internal", 200], ["evil.example", 403], ["localhost", 200]);
    const wrong: string[] = [];
    for (const [host, status] of hosts) {
      const a = await h1(listed.url, { path: "/model/basalt.echo/count-tokens", body: JSON.stringify({ input: { converse: JSON.parse(CONVERSE) } }), headers: { host } });
      if (a.status !== status) wrong.push(`${host}: ${a.status}`);
    }
    assert.deepEqual(wrong, []);
  });

  test("bound beyond loopback with no allowedHosts, the Host is not checked", async () => {
    const open = await startInProcess(`server: { host: 0.0.0.0 }\n${MODELS}`);
    try {
      const a = await h1(`http://127.0.0.1:${open.server.port}`, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: { host: "basalt.lan" } });
      assert.equal(a.status, 200, a.body);
    } finally {
      await open.stop();
    }
  });
});

describe("cross-origin browser requests", () => {
  test("an Origin naming another host (or null) is refused; the same origin is served; no CORS headers", async () => {
    for (const [, send] of RAW_TRANSPORTS) {
      for (const origin of ["http://evil.example", "null", `http://localhost:${port(loopback) + 1}`]) {
        const a = await send(loopback.url, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: { origin } });
        assert.equal(a.status, 403, `${origin}: ${a.body}`);
        assert.equal(a.errorType, "AccessDeniedException");
        assertNoCors(a);
      }
    }
    const same = await h1(loopback.url, { path: "/model/basalt.echo/converse", body: CONVERSE, headers: { origin: loopback.url } });
    assert.equal(same.status, 200, same.body);
  });

  test("a CORS preflight gets no CORS headers (the browser then refuses to send)", async () => {
    for (const [, send] of RAW_TRANSPORTS) {
      const a = await send(loopback.url, {
        method: "OPTIONS", path: "/model/basalt.echo/converse",
        headers: { origin: "http://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      assert.ok(a.status >= 400 && a.status < 500, String(a.status));
      assertNoCors(a);
    }
  });
});

describe("official clients are unaffected", () => {
  for (const [name, makeClient] of transports) {
    test(`${name}: Converse and InvokeModel through the SDK`, async () => {
      const client = makeClient(loopback.url);
      try {
        const out = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: [{ role: "user", content: [{ text: "ok" }] }] }));
        assert.equal(out.output?.message?.content?.[0]?.text, "ok");
        const inv = await client.send(new InvokeModelCommand({ modelId: "amazon.titan-text-express-v1", body: JSON.stringify({ inputText: "ok" }) }));
        assert.match(new TextDecoder().decode(inv.body), /"outputText":"ok"/);
      } finally {
        client.destroy();
      }
    });
  }
});
