// sseEventsFromBody: an upstream's SSE body read off its 'data' events — the same events for any chunking
// (split UTF-8, CRLF, a cut tail dropped), decoded events before a later error, a body that
// closes without its end is a cut, the body paused while events wait for their reader (back-pressure) and
// destroyed when the reader stops early, and an event past its cap ends the stream. Bodies are real streams:
// Node's PassThrough and undici's answer to a real HTTP server.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { request } from "undici";
import { SseEventTooLargeError, type SseEvent } from "../../src/formats/sse/parse.js";
import { sseEventsFromBody } from "../../src/providers/shared/sse-from-body.js";

async function all(events: AsyncIterable<SseEvent>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** A PassThrough that is sent `chunks` one per turn, then ended. */
function bodyOf(chunks: Uint8Array[], end = true): PassThrough {
  const body = new PassThrough();
  void (async () => {
    for (const c of chunks) {
      await new Promise((resolve) => setImmediate(resolve));
      body.write(c);
    }
    if (end) body.end();
  })();
  return body;
}

test("sseEventsFromBody gives the same events for every split of the body", async () => {
  const bytes = new TextEncoder().encode('event: a\ndata: {"x":"é€"}\n\n: keep-alive\n\ndata: line1\r\ndata: line2\r\n\r\ndata: [DONE]\r\n\r\ndata: cut');
  const expected: SseEvent[] = [
    { event: "a", data: '{"x":"é€"}' },
    { event: "message", data: "line1\nline2" },
    { event: "message", data: "[DONE]" },
  ];
  assert.deepEqual(await all(sseEventsFromBody(bodyOf([bytes]))), expected);
  for (let i = 1; i < bytes.length; i += 3) {
    assert.deepEqual(await all(sseEventsFromBody(bodyOf([bytes.slice(0, i), bytes.slice(i)]))), expected, `split at ${i}`);
  }
  assert.deepEqual(await all(sseEventsFromBody(bodyOf([...bytes].map((b) => new Uint8Array([b]))))), expected);
});

test("sseEventsFromBody reads an undici answer as it arrives", async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: one\n\n");
    setTimeout(() => res.end("data: two\n\ndata: three\n\n"), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as { port: number };
    const res = await request(`http://127.0.0.1:${port}/`);
    assert.deepEqual((await all(sseEventsFromBody(res.body))).map((e) => e.data), ["one", "two", "three"]);
  } finally {
    server.close();
  }
});

test("sseEventsFromBody gives the events decoded before an error, then the error", async () => {
  const body = new PassThrough();
  const boom = new Error("socket hang up");
  const it = sseEventsFromBody(body)[Symbol.asyncIterator]();
  body.write("data: a\n\ndata: b\n\n");
  body.destroy(boom);
  assert.deepEqual(await it.next(), { done: false, value: { event: "message", data: "a" } });
  assert.deepEqual(await it.next(), { done: false, value: { event: "message", data: "b" } });
  await assert.rejects(it.next(), (err) => err === boom);
  assert.deepEqual(await it.next(), { done: true, value: undefined });
});

test("sseEventsFromBody: a body closed without its end is a cut, not a whole answer", async () => {
  const body = new PassThrough();
  const reading = all(sseEventsFromBody(body));
  body.write("data: a\n\n");
  await new Promise((resolve) => setImmediate(resolve));
  body.destroy();
  await assert.rejects(reading, (err: NodeJS.ErrnoException) => err.code === "ERR_STREAM_PREMATURE_CLOSE");
});

test("sseEventsFromBody pauses the body while events wait for their reader, and resumes it when they are read", async () => {
  const body = new PassThrough();
  const it = sseEventsFromBody(body)[Symbol.asyncIterator]();
  body.write("data: 1\n\ndata: 2\n\n");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(body.isPaused(), true, "two events waiting: the body is held");
  assert.equal((await it.next()).value?.data, "1");
  assert.equal(body.isPaused(), true, "one still waiting");
  assert.equal((await it.next()).value?.data, "2");
  assert.equal(body.isPaused(), false, "all read: the body flows again");
  body.end("data: 3\n\n");
  assert.equal((await it.next()).value?.data, "3");
  assert.deepEqual(await it.next(), { done: true, value: undefined });
});

test("sseEventsFromBody destroys the body when its reader stops early", async () => {
  const body = new PassThrough();
  body.write("data: a\n\ndata: b\n\n");
  for await (const e of sseEventsFromBody(body)) if (e.data === "a") break;
  assert.equal(body.destroyed, true);
});

test("sseEventsFromBody ends with SseEventTooLargeError when one event outgrows the cap, and drops the body", async () => {
  const body = bodyOf([new TextEncoder().encode(`data: ${"x".repeat(100)}`), new TextEncoder().encode("y".repeat(100))], false);
  await assert.rejects(all(sseEventsFromBody(body, { maxEventChars: 150 })), (err) => err instanceof SseEventTooLargeError);
  assert.equal(body.destroyed, true);
});
