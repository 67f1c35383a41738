// Where JSON log lines go: stdout, written off the serving thread (sonic-boom's asynchronous writes, pino's
// default) but handed over a few milliseconds' worth at a time instead of one line at a time.
//
// Why: pino's default destination starts one write on libuv's thread pool per line whenever none is in
// flight. A node answering one request at a time therefore paid, per request, a pool thread woken for one
// write(2) and a completion woken back on the event loop: ~200 µs of CPU per call at concurrency 1 on a
// 2-core VM (docs/performance.md, round 11), a third of the full stack's cost there. Under load the pool's
// writes already carried many lines each; this makes the quiet case behave the same.
//
// What it costs: a line reaches stdout up to FLUSH_MS later; on `kill -9` the last FLUSH_MS of lines can be
// lost (as lines waiting behind an in-flight write already could). On a normal exit the rest is written
// synchronously.
import sonicBoom from "sonic-boom";
import type { SonicBoom as SonicBoomStream } from "sonic-boom";

// A CommonJS module: its class is a property of the default export under Node's ESM loader.
const { SonicBoom } = sonicBoom;

/** How long a line may wait for others before it is handed to the writer. */
export const FLUSH_MS = 10;
/** A batch this large is handed over at once, whatever the timer says (sonic-boom's largest single write). */
const BATCH_BYTES = 16 * 1024;

export interface LogSink {
  write(line: string): void;
  /** Hands over what waits and writes everything out synchronously (process exit). */
  flushSync(): void;
}

/** A batching sink in front of `out` (stdout's asynchronous writer unless a test passes its own). */
export function batchedSink(out: Pick<SonicBoomStream, "write" | "flushSync"> = new SonicBoom({ fd: 1 })): LogSink {
  let batch = "";
  let timer: NodeJS.Timeout | undefined;
  const handOver = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (batch === "") return;
    const lines = batch;
    batch = "";
    out.write(lines);
  };
  return {
    write(line) {
      batch += line;
      if (batch.length >= BATCH_BYTES) handOver();
      // Unref'd: a pending line never keeps the process alive; exit writes it (see below).
      else timer ??= setTimeout(handOver, FLUSH_MS).unref();
    },
    flushSync() {
      handOver();
      try {
        out.flushSync();
      } catch {
        // Nothing was waiting to be written (or stdout is gone): there is nothing left to save.
      }
    },
  };
}
