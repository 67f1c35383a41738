// The one policy for upstream failures (providers/upstream-client.ts): transport failures by cause, HTTP
// errors by status, errors reported inside a stream by whether an event was sent, every message scrubbed of
// credentials, every error carrying what it came from as `cause`.
import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { after, test } from "node:test";
import { BedrockError } from "../../src/core/errors.js";
import { UpstreamStreamError } from "../../src/formats/shared/upstream-stream-error.js";
import { SseEventTooLargeError } from "../../src/formats/sse/parse.js";
import { UpstreamClient } from "../../src/providers/upstream-client.js";

const KEY = "sk-basalt-unit-test-key-0123456789";
const names = { servedModelId: "meta.llama3-8b-instruct-v1:0", upstreamModel: "llama3.1:8b" };

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const port = await closedPort();
const client = new UpstreamClient({ provider: "local", baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 5000, secrets: [KEY] });
after(() => client.close());

test("connection refused → ServiceUnavailableException naming the provider, the transport error as cause", async () => {
  const err = await client.post({ path: "/v1/chat/completions", headers: {}, body: "{}", cancel: new AbortController().signal }).then(
    () => assert.fail("expected a failure"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof BedrockError);
  assert.equal(err.errorName, "ServiceUnavailableException");
  assert.match(err.message, /provider local is unavailable \(ECONNREFUSED\)/);
  assert.equal((err.cause as { code?: string }).code, "ECONNREFUSED");
});

test("HTTP errors by status, with the upstream's message scrubbed of the configured key and credential-like strings", () => {
  const cases: [number, string][] = [
    [400, "ValidationException"], [401, "AccessDeniedException"], [404, "ResourceNotFoundException"], [408, "ModelTimeoutException"],
    [429, "ThrottlingException"], [500, "ModelErrorException"], [503, "ServiceUnavailableException"], [504, "ModelTimeoutException"],
    [529, "ServiceUnavailableException"],
  ];
  for (const [status, name] of cases) {
    const message = `bad key ${KEY}; Authorization: Bearer abcdef0123456789; other sk-proj-ABCDEFGHIJKLMNOPQRSTUV; AKIAIOSFODNN7EXAMPLE`;
    const err = client.httpError({ status, message, ...names });
    assert.equal(err.errorName, name, String(status));
    for (const secret of [KEY, "abcdef0123456789", "sk-proj-ABCDEFGHIJKLMNOPQRSTUV", "AKIAIOSFODNN7EXAMPLE"]) {
      assert.ok(!err.message.includes(secret), `${status}: ${err.message}`);
    }
    assert.ok(err.cause instanceof Error);
  }
  assert.match(client.httpError({ status: 400, message: "max_tokens is too large: 9999999", ...names }).message, /max_tokens is too large: 9999999/);
});

test("an error reported inside a stream: an HTTP error before any event, a stream exception after", () => {
  const before = client.failure(new UpstreamStreamError("Overloaded", 529), false, names);
  assert.equal(before.errorName, "ServiceUnavailableException");
  const afterStart = client.failure(new UpstreamStreamError(`Overloaded (${KEY})`, 529), true, names);
  assert.equal(afterStart.errorName, "ModelStreamErrorException");
  assert.equal(afterStart.fields.originalStatusCode, 529);
  assert.ok(!afterStart.message.includes(KEY) && !afterStart.fields.originalMessage?.includes(KEY));
  assert.ok(afterStart.cause instanceof UpstreamStreamError);
});

test("a stream cut, a timeout and an oversized event keep their cause", () => {
  const reset = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
  const cut = client.failure(reset, true);
  assert.equal(cut.errorName, "ModelStreamErrorException");
  assert.equal(cut.cause, reset);
  const timeout = client.failure(Object.assign(new Error("Body Timeout Error"), { code: "UND_ERR_BODY_TIMEOUT" }), true);
  assert.equal(timeout.errorName, "ModelTimeoutException");
  const tooLarge = client.failure(new SseEventTooLargeError(10), true);
  assert.equal(tooLarge.errorName, "ModelStreamErrorException");
  assert.ok(tooLarge.cause instanceof SseEventTooLargeError);
});

test("a burst's connections close once idle, however long the upstream's Keep-Alive hint", async () => {
  const { createServer: createHttpServer } = await import("node:http");
  // Like many servers behind a load balancer: Keep-Alive: timeout=65.
  const upstream = createHttpServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    req.on("end", () => setTimeout(() => res.end("{}"), 50));
  });
  const open = new Set<unknown>();
  upstream.on("connection", (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const burst = new UpstreamClient({ provider: "local", baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, timeoutMs: 5000, keepAliveMs: 300 });
  try {
    await Promise.all(Array.from({ length: 20 }, async () => {
      const res = await burst.post({ path: "/v1/chat/completions", headers: {}, body: "{}", cancel: new AbortController().signal });
      assert.equal(await burst.text(res), "{}");
    }));
    assert.equal(open.size, 20, "the burst used one connection per concurrent call");
    const started = Date.now();
    while (open.size > 0 && Date.now() - started < 3_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(open.size, 0, `${open.size} idle connections still open ${Date.now() - started} ms after the burst`);
    // A later call opens a connection again.
    assert.equal(await burst.text(await burst.post({ path: "/v1/chat/completions", headers: {}, body: "{}", cancel: new AbortController().signal })), "{}");
  } finally {
    await burst.close();
    upstream.closeAllConnections();
    await new Promise<void>((r) => upstream.close(() => r()));
  }
});
