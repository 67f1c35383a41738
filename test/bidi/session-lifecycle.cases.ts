// How a session ends when the client does not end it: the idle and total limits (server.bidirectionalStream)
// and the server shutting down each end it with an exception event, never a silent cut.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { h2Client } from "../helpers/clients.js";
import { startInProcess } from "../helpers/in-process.js";
import { errorOf } from "../helpers/sdk.js";
import { openSession, promptStart, sessionStart, textContent } from "./sonic-client.js";

describe("bidirectional session limits and shutdown", () => {
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
