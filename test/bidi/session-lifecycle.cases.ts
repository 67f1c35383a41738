// How a session ends when the client does not end it: the idle and total limits (server.bidirectionalStream)
// and the server shutting down each end it with an exception event, never a silent cut.
import { describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { h2Client } from "../helpers/clients.js";
import { startInProcess } from "../helpers/in-process.js";
import { errorOf } from "../helpers/sdk.js";
import type { CallRecord } from "../../src/core/call-record.js";
import { answerText, completions, openSession, promptEnd, promptStart, sessionEnd, sessionStart, textContent } from "./sonic-client.js";

describe("bidirectional session limits and shutdown", () => {
  test("over TLS (ALPN h2) the session works as over h2c", async () => {
    const dir = mkdtempSync(join(tmpdir(), "basalt-bidi-tls-"));
    const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
    const basalt = await startInProcess({ config: `server: { tlsCert: "${cert}", tlsKey: "${key}" }` });
    const prev = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    const client = h2Client(basalt.url);
    try {
      assert.match(basalt.url, /^https:/);
      const s = openSession(client, "basalt.echo");
      s.send(sessionStart());
      s.send(promptStart(s.promptName));
      textContent(s.promptName, "USER", "over tls").forEach((e) => s.send(e));
      s.send(promptEnd(s.promptName));
      s.send(sessionEnd());
      s.end();
      await s.finished;
      assert.equal(answerText(s.received, completions(s.received)[0]), "over tls");
    } finally {
      client.destroy();
      if (prev === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = prev;
      await basalt.stop();
    }
  });

  test("a session is one call record: its operation, model, status and the session's token totals", async () => {
    const records: Readonly<CallRecord>[] = [];
    const basalt = await startInProcess({ observers: [{ name: "test", observe: (r) => void records.push(r) }] });
    const client = h2Client(basalt.url);
    try {
      const s = openSession(client, "basalt.echo");
      s.send(sessionStart());
      s.send(promptStart(s.promptName));
      textContent(s.promptName, "USER", "one two three").forEach((e) => s.send(e));
      textContent(s.promptName, "USER", "four five").forEach((e) => s.send(e));
      s.send(promptEnd(s.promptName));
      s.send(sessionEnd());
      s.end();
      await s.finished;
      const usage = s.received.filter((e) => e.usageEvent).at(-1)!.usageEvent as { totalInputTokens: number; totalOutputTokens: number };
      client.destroy();
      // The record is written when the response has closed.
      for (let i = 0; i < 300 && !records.some((r) => r.operation === "InvokeModelWithBidirectionalStream"); i++) await new Promise((r) => setTimeout(r, 100));
      const record = records.find((r) => r.operation === "InvokeModelWithBidirectionalStream")!;
      assert.equal(record.modelId, "basalt.echo");
      assert.equal(record.status, 200);
      assert.equal(record.outputTokens, 5);
      assert.equal(record.outputTokens, usage.totalOutputTokens);
      assert.equal(record.inputTokens, usage.totalInputTokens);
      assert.equal(record.errorName, undefined);
    } finally {
      client.destroy();
      await basalt.stop();
    }
  });

  test("a session with no traffic for idleTimeoutMs ends with modelTimeoutException", async () => {
    const basalt = await startInProcess({ config: "server: { bidirectionalStream: { idleTimeoutMs: 400 } }" });
    const client = h2Client(basalt.url);
    try {
      const s = openSession(client, "basalt.echo");
      s.send(sessionStart());
      const err = await errorOf(s.finished);
      assert.equal(err.name, "ModelTimeoutException");
      assert.match(err.message, /No input event arrived for/);
      s.end();
    } finally {
      client.destroy();
      await basalt.stop();
    }
  });

  test("a session that keeps talking still ends at maxSessionMs with modelTimeoutException", async () => {
    const basalt = await startInProcess({ config: "server: { bidirectionalStream: { maxSessionMs: 1500, idleTimeoutMs: 60000 } }" });
    const client = h2Client(basalt.url);
    const s = openSession(client, "basalt.echo");
    s.send(sessionStart());
    s.send(promptStart(s.promptName));
    const ticker = setInterval(() => textContent(s.promptName, "USER", "still here", false).forEach((e) => s.send(e)), 100);
    try {
      const err = await errorOf(s.finished);
      assert.equal(err.name, "ModelTimeoutException");
      assert.match(err.message, /reached its 2 s limit|reached its 1 s limit/);
    } finally {
      clearInterval(ticker);
      s.end();
      client.destroy();
      await basalt.stop();
    }
  });

  test("the server shutting down ends an open session with serviceUnavailableException", async () => {
    const basalt = await startInProcess();
    const client = h2Client(basalt.url);
    try {
      const s = openSession(client, "basalt.echo");
      s.send(sessionStart());
      s.send(promptStart(s.promptName));
      textContent(s.promptName, "USER", "/slow 200 a slow answer that is cut by the shutdown").forEach((e) => s.send(e));
      await s.waitFor((e) => e.textOutput !== undefined);
      const stopped = basalt.stop();
      const err = await errorOf(s.finished);
      assert.equal(err.name, "ServiceUnavailableException");
      assert.match(err.message, /shutting down/);
      s.end();
      assert.equal(await stopped, 0);
    } finally {
      client.destroy();
    }
  });
});
