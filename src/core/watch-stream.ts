// A stream passed on item for item while a watcher sees it open, sees each item, and hears once how it
// ended. The layers every model stream passes through — the upstream's error mapping, the attempt record,
// quotas charging output tokens, the response cache keeping a complete answer — use this instead of an
// `async function*` around `for await`/`yield*`: a generator costs a resumption and several promise jobs per
// event and layer, where this costs one `.then`. With 128 paced streams through an OpenAI-compatible upstream,
// these layers as generators cost ~10 % of Basalt's CPU per frame (docs/performance.md, round 8).

/** How a stream ended: it ran out, it threw (the error as mapped), or its reader stopped early (`return()`). */
export type StreamEnd = { readonly kind: "done" } | { readonly kind: "error"; readonly error: unknown } | { readonly kind: "stopped" };

export interface StreamWatch<T> {
  /** Just before the stream opens, on the first `next()`. */
  onStart?(): void;
  /** Each item, before the reader gets it. */
  onItem?(item: T): void;
  /**
   * Once, when the opened stream ended whichever way. A promise returned for a stream that ran out is
   * waited for before the reader hears it is done (what must be stored before the answer counts as given).
   */
  onEnd?(end: StreamEnd): void | Promise<void>;
  /** What an error of the stream (or of opening it) becomes before onEnd and the reader see it. */
  mapError?(err: unknown): unknown;
}

const DONE: StreamEnd = Object.freeze({ kind: "done" });
const STOPPED: StreamEnd = Object.freeze({ kind: "stopped" });
const FINISHED: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * `open()` runs on the first `next()` — as a generator's body runs only when first asked — and may be
 * asynchronous (an upstream request sent, an admission checked). A stream stopped before its first `next()`
 * never opens and reports nothing, like a generator never run.
 */
export function watchStream<T>(open: () => AsyncIterable<T> | Promise<AsyncIterable<T>>, watch: StreamWatch<T>): AsyncIterable<T> {
  return new WatchedStream(open, watch);
}

class WatchedStream<T> implements AsyncIterableIterator<T> {
  #source: AsyncIterator<T> | undefined;
  #opening: Promise<AsyncIterator<T>> | undefined;
  #started = false;
  #ended = false;

  constructor(
    private readonly open: () => AsyncIterable<T> | Promise<AsyncIterable<T>>,
    private readonly watch: StreamWatch<T>,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#ended) return Promise.resolve(FINISHED);
    const source = this.#source;
    if (source !== undefined) return source.next().then(this.#pass, this.#fail);
    if (this.#opening !== undefined) return this.#opening.then((s) => s.next()).then(this.#pass, this.#fail);
    return this.#start();
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    if (!this.#started) {
      this.#ended = true;
      return Promise.resolve(FINISHED);
    }
    this.#end(STOPPED);
    const source = this.#source;
    if (source !== undefined) return source.return?.(value) ?? Promise.resolve(FINISHED);
    // Still opening: the source is closed as soon as it is there.
    void this.#opening?.then((s) => s.return?.(value)).catch(() => undefined);
    return Promise.resolve(FINISHED);
  }

  #start(): Promise<IteratorResult<T>> {
    this.#started = true;
    let opened: AsyncIterable<T> | Promise<AsyncIterable<T>>;
    try {
      this.watch.onStart?.();
      opened = this.open();
    } catch (err) {
      return this.#fail(err);
    }
    if (!(opened instanceof Promise)) {
      this.#source = opened[Symbol.asyncIterator]();
      return this.#source.next().then(this.#pass, this.#fail);
    }
    this.#opening = opened.then((iterable) => (this.#source = iterable[Symbol.asyncIterator]()));
    return this.#opening.then((s) => s.next()).then(this.#pass, this.#fail);
  }

  // Arrow properties: two functions per stream, not two per item.
  readonly #pass = (result: IteratorResult<T>): IteratorResult<T> | Promise<IteratorResult<T>> => {
    if (!result.done) {
      if (!this.#ended) this.watch.onItem?.(result.value);
      return result;
    }
    const storing = this.#end(DONE);
    return storing ? storing.then(() => result) : result;
  };

  readonly #fail = (err: unknown): Promise<never> => {
    const mapped = this.watch.mapError ? this.watch.mapError(err) : err;
    this.#end({ kind: "error", error: mapped });
    return Promise.reject(mapped);
  };

  #end(end: StreamEnd): void | Promise<void> {
    if (this.#ended) return undefined;
    this.#ended = true;
    return this.watch.onEnd?.(end);
  }
}
