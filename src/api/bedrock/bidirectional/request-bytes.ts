// A request body as an async iterable of its pieces, read while the response is being written (an HTTP/2
// stream is full duplex). Unlike a Readable's own async iterator, stopping early does not destroy the
// request — over HTTP/2 that would reset the stream before the answer is out: the rest of the body is
// drained instead. A body the reader falls behind on is paused (HTTP/2 flow control then holds the client).
import type { Request } from "../../../server/http-types.js";

const HIGH_WATER_PIECES = 64;

export function requestBytes(req: Request): AsyncIterable<Uint8Array> & AsyncIterator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (piece: Uint8Array) => {
    queue.push(piece);
    if (queue.length >= HIGH_WATER_PIECES) req.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (err: Error) => {
    failure = err;
    notify();
  };
  const onClose = () => {
    if (!ended) failure ??= new Error("The client closed the request stream.");
    notify();
  };
  req.on("data", onData);
  req.once("end", onEnd);
  req.once("error", onError);
  req.once("close", onClose);

  const detach = () => {
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    req.off("close", onClose);
    if (!ended && !req.destroyed) req.resume();
  };

  const iterator: AsyncIterable<Uint8Array> & AsyncIterator<Uint8Array> = {
    [Symbol.asyncIterator]: () => iterator,
    async next(): Promise<IteratorResult<Uint8Array>> {
      for (;;) {
        const piece = queue.shift();
        if (piece) {
          if (queue.length < HIGH_WATER_PIECES / 2 && req.isPaused()) req.resume();
          return { value: piece, done: false };
        }
        if (failure) {
          detach();
          throw failure;
        }
        if (ended) {
          detach();
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return(): Promise<IteratorResult<Uint8Array>> {
      detach();
      queue.length = 0;
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
