// An upstream's SSE answer read straight off its body's 'data' events into the SSE decoder (formats/sse). Not
// through the stream's own async iterator (itself a generator, a read() and a promise per chunk) under a
// generator of our own: here a chunk costs one decoder push, and an event one promise. The body is paused while
// decoded events wait for their reader, so a slow client holds the upstream back (back-pressure) instead of
// queueing without bound.
import type { Readable } from "node:stream";
import { SseDecoder, type SseEvent, type SseParseOptions } from "../../formats/sse/parse.js";

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The events of an SSE body (a trailing event without its blank line is dropped, as the spec says: a body
 * cut mid-event must not look like a whole event), even one that splits a UTF-8 sequence. Read once. Stopping early (`return()`) destroys
 * the body, as a stream's own iterator does.
 */
export function sseEventsFromBody(body: Readable, opts: SseParseOptions = {}): AsyncIterable<SseEvent> {
  return { [Symbol.asyncIterator]: () => new BodySseIterator(body, opts) };
}

class BodySseIterator implements AsyncIterator<SseEvent> {
  readonly #decoder: SseDecoder;
  // Streaming: a UTF-8 sequence split across chunks is kept whole. (undici's body ignores setEncoding.)
  readonly #text = new TextDecoder("utf-8");
  #queue: SseEvent[] = [];
  #head = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #waiting: { resolve: (r: IteratorResult<SseEvent>) => void; reject: (err: unknown) => void } | undefined;

  constructor(private readonly body: Readable, opts: SseParseOptions) {
    this.#decoder = new SseDecoder(opts);
    body.on("data", this.#onData);
    body.once("end", this.#onEnd);
    body.once("error", this.#onError);
    body.once("close", this.#onClose);
  }

  next(): Promise<IteratorResult<SseEvent>> {
    if (this.#head < this.#queue.length) return Promise.resolve(this.#take());
    if (this.#failure) {
      const { error } = this.#failure;
      this.#failure = undefined;
      this.#ended = true;
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<SseEvent>> {
    this.#finish();
    if (!this.body.destroyed) this.body.destroy();
    return Promise.resolve(DONE);
  }

  /** The next queued event; the body flows again once the queue is empty. */
  #take(): IteratorResult<SseEvent> {
    const value = this.#queue[this.#head++];
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      if (!this.#ended && this.body.isPaused()) this.body.resume();
    }
    return { done: false, value };
  }

  readonly #onData = (chunk: Uint8Array | string): void => {
    let events: SseEvent[];
    try {
      events = this.#decoder.push(typeof chunk === "string" ? chunk : this.#text.decode(chunk, { stream: true }));
    } catch (err) {
      // An event past its size cap: the body is abandoned.
      this.#fail(err);
      if (!this.body.destroyed) this.body.destroy();
      return;
    }
    for (let i = 0; i < events.length; i++) this.#queue.push(events[i]);
    const waiting = this.#waiting;
    if (waiting && this.#head < this.#queue.length) {
      this.#waiting = undefined;
      waiting.resolve(this.#take());
    }
    if (this.#head < this.#queue.length) this.body.pause();
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#stopListening();
    const waiting = this.#waiting;
    if (waiting && this.#head >= this.#queue.length) {
      this.#waiting = undefined;
      waiting.resolve(DONE);
    }
  };

  readonly #onError = (err: unknown): void => this.#fail(err);

  // Closed without its end (the connection went away, the body was destroyed): a cut, not a whole answer.
  readonly #onClose = (): void => {
    if (this.#ended || this.#failure) return;
    const err = new Error("The upstream closed its answer before the end.") as NodeJS.ErrnoException;
    err.code = "ERR_STREAM_PREMATURE_CLOSE";
    this.#fail(err);
  };

  #fail(error: unknown): void {
    if (this.#ended || this.#failure) return;
    this.#stopListening();
    const waiting = this.#waiting;
    if (waiting && this.#head >= this.#queue.length) {
      this.#waiting = undefined;
      this.#ended = true;
      waiting.reject(error);
      return;
    }
    // Events already decoded are read first; the error comes after them.
    this.#failure = { error };
  }

  #finish(): void {
    this.#ended = true;
    this.#queue = [];
    this.#head = 0;
    this.#stopListening();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve(DONE);
  }

  #stopListening(): void {
    this.body.off("data", this.#onData);
    this.body.off("end", this.#onEnd);
    this.body.off("error", this.#onError);
    this.body.off("close", this.#onClose);
    // An 'error' after this must not be unhandled (the stream's owner may still destroy it with one).
    this.body.on("error", ignore);
  }
}

function ignore(): void {}
