// One timer for every request body being read, instead of a setTimeout per request that each chunk refreshes
// and the body's end clears (timer insertion and removal were ~2–3 % of an echo Converse). The shared timer
// ticks at a quarter of the shortest stall limit being watched, so a stalled body is noticed between
// `stallMs` and 1.25 × `stallMs` after its last bytes; it stops when nothing is being watched.

export interface WatchedBody {
  /** performance.now() of the last progress. */
  last: number;
  readonly stallMs: number;
  readonly onStall: () => void;
}

const MIN_PERIOD_MS = 5;
const watched = new Set<WatchedBody>();
let timer: NodeJS.Timeout | undefined;
let period = Infinity;

/** Starts watching a body: `onStall` runs once if it makes no progress for `stallMs`. */
export function watchStall(stallMs: number, onStall: () => void): WatchedBody {
  const body: WatchedBody = { last: performance.now(), stallMs, onStall };
  watched.add(body);
  const wanted = Math.max(MIN_PERIOD_MS, stallMs / 4);
  if (timer === undefined || wanted < period) {
    if (timer !== undefined) clearInterval(timer);
    period = wanted;
    // Unref'd: a body being read keeps its socket, and so the process, alive on its own.
    timer = setInterval(sweep, period).unref();
  }
  return body;
}

/** Bytes arrived: the stall clock starts again. */
export function progressed(body: WatchedBody): void {
  body.last = performance.now();
}

/** The body ended (or was refused): no longer watched. */
export function unwatch(body: WatchedBody): void {
  watched.delete(body);
}

function sweep(): void {
  const now = performance.now();
  for (const body of watched) {
    if (now - body.last < body.stallMs) continue;
    watched.delete(body);
    body.onStall();
  }
  if (watched.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
    period = Infinity;
  }
}
