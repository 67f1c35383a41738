// The SSE parser and writer (formats/sse), read the way an upstream's answer is (providers/shared/
// sse-from-body, over a Node stream of the chunks): chunk boundaries anywhere, CRLF/CR/LF, comments,
// multi-line data, cut tails, linear time, a cap on one event's size, and a writer the parser reads back.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { formatSseEvent } from "../../src/formats/sse/format.js";
import { SseEventTooLargeError, type SseEvent, type SseParseOptions } from "../../src/formats/sse/parse.js";
import { sseEventsFromBody } from "../../src/providers/shared/sse-from-body.js";

/** The events of a body sent as these chunks (strings or bytes, as an upstream's may come). */
const readSse = (chunks: AsyncIterable<string | Uint8Array>, opts?: SseParseOptions) => sseEventsFromBody(Readable.from(chunks), opts);

async function collect(chunks: (string | Uint8Array)[]): Promise<SseEvent[]> {
  async function* source() { for (const c of chunks) yield c; }
  const out: SseEvent[] = [];
  for await (const e of readSse(source())) out.push(e);
  return out;
}

test("events split at every possible byte boundary parse the same", async () => {
  const text = 'event: a\ndata: {"x":"é€"}\n\n: keep-alive\n\ndata: line1\r\ndata: line2\r\n\r\ndata: [DONE]\r\r';
  const bytes = new TextEncoder().encode(text);
  const whole = await collect([bytes]);
  assert.deepEqual(whole, [
    { event: "a", data: '{"x":"é€"}' },
    { event: "message", data: "line1\nline2" },
    { event: "message", data: "[DONE]" },
  ]);
  for (let i = 1; i < bytes.length; i++) {
    assert.deepEqual(await collect([bytes.slice(0, i), bytes.slice(i)]), whole, `split at ${i}`);
  }
  assert.deepEqual(await collect([...bytes].map((b) => new Uint8Array([b]))), whole);
});

test("an event without its terminating blank line is not emitted", async () => {
  assert.deepEqual(await collect(["data: one\n\ndata: cut"]), [{ event: "message", data: "one" }]);
});

test("id and field without colon", async () => {
  assert.deepEqual(await collect(["id: 7\ndata\n\n"]), [{ event: "message", data: "", id: "7" }]);
});

test("one long event in many small chunks is read in linear time (each byte scanned once)", { timeout: 30_000 }, async () => {
  // 4 MiB of data in 128-byte chunks: rescanning the unfinished line on every chunk would be ~2^36 character
  // visits (minutes); scanning each byte once is a few million (well under a second).
  const piece = "abcdefghijklmnop".repeat(8);
  const chunks = 1 << 15;
  async function* source() {
    yield "data: ";
    for (let i = 0; i < chunks; i++) yield piece;
    yield "\n\n";
  }
  const events: SseEvent[] = [];
  for await (const e of readSse(source())) events.push(e);
  assert.equal(events.length, 1);
  assert.equal(events[0].data.length, piece.length * chunks);
});

test("an event past the size cap throws a typed error, whether its data lines or one endless line grow", async () => {
  const limit = 1000;
  async function* manyLines() {
    for (let i = 0; i < 100; i++) yield `data: ${"x".repeat(20)}\n`;
  }
  async function* endlessLine() {
    yield "data: ";
    for (;;) yield "y".repeat(100);
  }
  for (const source of [manyLines, endlessLine]) {
    await assert.rejects(async () => {
      for await (const _ of readSse(source(), { maxEventChars: limit })) void _;
    }, (err: unknown) => err instanceof SseEventTooLargeError && err.limit === limit);
  }
  // Events under the cap, one after another, never add up.
  async function* manySmall() {
    for (let i = 0; i < 100; i++) yield `data: ${"z".repeat(500)}\n\n`;
  }
  let n = 0;
  for await (const _ of readSse(manySmall(), { maxEventChars: limit })) n++;
  assert.equal(n, 100);
});

test("formatSseEvent writes what the reader reads back: names, ids, JSON, multi-line data", async () => {
  const sent = [
    { event: "message_start", data: { type: "message_start", text: "é€\u2028" } },
    { data: "[DONE]" },
    { event: "note", id: "42", data: "line one\nline two\r\nline three" },
  ];
  const got = await collect(sent.map(formatSseEvent));
  assert.deepEqual(got, [
    { event: "message_start", data: JSON.stringify(sent[0].data) },
    { event: "message", data: "[DONE]" },
    { event: "note", data: "line one\nline two\nline three", id: "42" },
  ]);
});
