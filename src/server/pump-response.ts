// The one loop that writes a stream of items to a response: event streams a front door encodes and bodies a
// relay forwards. Back-pressure is honoured, items ready in the same tick go out in one write, and the wait
// for the next item is abandoned the moment the signal fires (client gone, server stopping), even if the
// source never yields again.
import type { Response } from "./http-types.js";

export const ABORTED = Symbol("aborted");
export type Aborted = typeof ABORTED;

/**
 * An iterator whose `next()` settles with ABORTED once the signal fires. One listener for its whole life
 * settles whichever wait is current (cheaper than a Promise.race per item, which would also pile a
 * reaction per item onto one long-lived promise).
 */
export class AbortableIterator<T> {
  private wake: ((v: Aborted) => void) | undefined;
  private readonly onAbort = () => this.wake?.(ABORTED);

  constructor(private readonly iterator: AsyncIterator<T>, readonly signal: AbortSignal) {
    signal.addEventListener("abort", this.onAbort, { once: true });
  }

  next(): Promise<IteratorResult<T> | Aborted> {
    if (this.signal.aborted) return Promise.resolve(ABORTED);
    return new Promise((resolve, reject) => {
      this.wake = resolve;
      this.iterator.next().then(resolve, reject);
    });
  }

  /** Stops listening and releases the source (a no-op once it is exhausted): call once, when done. */
  release(): void {
    this.wake = undefined;
    this.signal.removeEventListener("abort", this.onAbort);
    void this.iterator.return?.()?.catch(() => undefined);
  }
}

// Items produced in the same tick are written together (one socket write / HTTP/2 DATA frame instead of
// one per item), up to this many bytes; the first item is always written at once.
const BATCH_BYTES = 64 * 1024;

/**
 * Writes each item's bytes until the source ends ("done") or the signal fires (ABORTED). An error of the
 * source is thrown after what was already produced has been written. `first` is an item already taken.
 */
export async function pumpToResponse<T>(
  res: Response,
  items: AbortableIterator<T>,
  encode: (item: T) => Uint8Array | undefined,
  first?: IteratorResult<T>,
): Promise<"done" | Aborted> {
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let flushQueued = false;
  // Subscribed the moment a write reports back-pressure, so a quick 'drain' cannot be missed.
  let drainWait: Promise<void> | undefined;
  const flush = () => {
    flushQueued = false;
    if (batch.length === 0) return;
    const data = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    if (!res.destroyed && !res.write(data)) drainWait ??= drained(res, items.signal);
  };

  let n = first ?? (await items.next());
  let written = 0;
  try {
    while (n !== ABORTED && !n.done) {
      const bytes = encode(n.value);
      if (bytes) {
        batch.push(bytes);
        batchBytes += bytes.byteLength;
        if (written++ === 0 || batchBytes >= BATCH_BYTES) {
          flush();
          // Let I/O run after the first item and between large batches of a source that yields without
          // pause: HTTP/1.1 corks the socket until the next tick and HTTP/2 sends its queued frames later,
          // so without this the first item would wait for the whole first batch to be built.
          if (!drainWait) await new Promise<void>((resolve) => setImmediate(resolve));
        } else if (!flushQueued) {
          // Runs once the current burst of ready items is exhausted (before any I/O).
          flushQueued = true;
          process.nextTick(flush);
        }
      }
      if (drainWait) {
        await drainWait;
        drainWait = undefined;
      }
      n = await items.next();
    }
  } finally {
    flush();
  }
  return n === ABORTED ? ABORTED : "done";
}

function drained(res: Response, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
