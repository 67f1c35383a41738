// watchStream: every item passes through unchanged and in order, the watcher sees each one, and hears once
// how the stream ended — ran out, threw (its error, as mapped), or was stopped by its reader (the source is
// returned too). It opens on the first next(), synchronously or not; a stream stopped before then never
// opens and reports nothing, like a generator never run; what onEnd stores is stored before "done".
import assert from "node:assert/strict";
import { test } from "node:test";
import { watchStream, type StreamEnd, type StreamWatch } from "../../src/core/watch-stream.js";

function watched<T>(make: () => AsyncIterable<T> | Promise<AsyncIterable<T>>, extra: Partial<StreamWatch<T>> = {}) {
  const ends: StreamEnd[] = [];
  const log: string[] = [];
  const items: T[] = [];
  const stream = watchStream(() => {
    log.push("open");
    return make();
  }, { onStart: () => log.push("start"), onItem: (item) => items.push(item), onEnd: (end) => void ends.push(end), ...extra });
  return { stream, ends, log, items };
}

async function* numbers(n: number) {
  for (let i = 1; i <= n; i++) yield i;
}

test("watchStream passes every item to the reader and the watcher, and reports a stream that ran out once", async () => {
  const { stream, ends, log, items } = watched(() => numbers(3));
  assert.deepEqual(log, [], "nothing opens before the first next()");
  const seen: number[] = [];
  for await (const n of stream) seen.push(n);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(items, [1, 2, 3]);
  assert.deepEqual(log, ["start", "open"]);
  assert.deepEqual(ends, [{ kind: "done" }]);
  const it = stream[Symbol.asyncIterator]();
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  await it.return?.();
  assert.equal(ends.length, 1, "reported once");
});

test("watchStream opens asynchronously and passes the opened stream's items", async () => {
  const { stream, ends } = watched(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return numbers(2);
  });
  const seen: number[] = [];
  for await (const n of stream) seen.push(n);
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(ends, [{ kind: "done" }]);
});

test("watchStream reports the error a stream threw, as mapped, after the items before it", async () => {
  const boom = new Error("upstream cut");
  const { stream, ends } = watched(async function* () {
    yield "a";
    throw boom;
  }, { mapError: (err) => new Error(`mapped: ${(err as Error).message}`, { cause: err }) });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const s of stream) seen.push(s);
  }, (err: Error) => err.message === "mapped: upstream cut" && err.cause === boom);
  assert.deepEqual(seen, ["a"]);
  assert.equal(ends.length, 1);
  const end = ends[0];
  assert.ok(end.kind === "error" && (end.error as Error).message === "mapped: upstream cut");
});

test("watchStream reports a source that throws as it opens, synchronously or not", async () => {
  const boom = new Error("no such model");
  const sync = watched((): AsyncIterable<number> => {
    throw boom;
  });
  await assert.rejects(sync.stream[Symbol.asyncIterator]().next(), (err) => err === boom);
  assert.deepEqual(sync.ends, [{ kind: "error", error: boom }]);
  const later = watched(async (): Promise<AsyncIterable<number>> => {
    throw boom;
  });
  await assert.rejects(later.stream[Symbol.asyncIterator]().next(), (err) => err === boom);
  assert.deepEqual(later.ends, [{ kind: "error", error: boom }]);
});

test("watchStream reports a reader that stops early and closes the source", async () => {
  let closed = false;
  const { stream, ends } = watched(async function* () {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      closed = true;
    }
  });
  for await (const n of stream) if (n === 2) break;
  assert.deepEqual(ends, [{ kind: "stopped" }]);
  assert.equal(closed, true, "the source's finally ran");
});

test("watchStream closes a source that was still opening when the reader stopped", async () => {
  let closed = false;
  let release!: () => void;
  const { stream, ends } = watched(async () => {
    await new Promise<void>((resolve) => (release = resolve));
    return (async function* () {
      try {
        yield 1;
      } finally {
        closed = true;
      }
    })();
  });
  const it = stream[Symbol.asyncIterator]();
  const pending = it.next();
  await it.return?.();
  assert.deepEqual(ends, [{ kind: "stopped" }]);
  release();
  await pending;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(closed, true);
});

test("watchStream: a stream stopped before its first next() never opens and reports nothing", async () => {
  const { stream, ends, log } = watched(() => numbers(1));
  const it = stream[Symbol.asyncIterator]();
  assert.deepEqual(await it.return?.(), { done: true, value: undefined });
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  assert.deepEqual(log, []);
  assert.deepEqual(ends, []);
});

test("watchStream waits for what onEnd stores before the reader hears the stream is done", async () => {
  const order: string[] = [];
  const stream = watchStream(() => numbers(1), {
    onEnd: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push("stored");
    },
  });
  for await (const n of stream) order.push(`item ${n}`);
  order.push("done");
  assert.deepEqual(order, ["item 1", "stored", "done"]);
});
