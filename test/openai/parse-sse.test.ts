// The shared SSE parser: chunk boundaries anywhere, CRLF/CR/LF, comments, multi-line data, cut tails.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSse, type SseEvent } from "../../src/providers/shared/parse-sse.js";

async function collect(chunks: (string | Uint8Array)[]): Promise<SseEvent[]> {
  async function* source() { for (const c of chunks) yield c; }
  const out: SseEvent[] = [];
  for await (const e of parseSse(source())) out.push(e);
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
