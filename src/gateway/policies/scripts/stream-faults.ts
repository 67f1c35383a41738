// Pacing and faults laid over a stream of events, counted as the client will count them:
//   ttftMs                     wait before the first event
//   tokensPerSecond            content deltas at this rate (scheduled from the first one, so waits never drift)
//   stallAfterEvents {after,ms} after `after` events, wait `ms`
//   exceptionAfterEvents       exactly `after` events, then an exception (an exception event on the wire)
//   cutAfterEvents N           exactly N events, then StreamCut (the writer breaks the connection)
// A fault set past the end of a shorter stream fires at its end, before the stream can look complete.
import { BedrockError } from "../../../core/errors.js";
import { StreamCut } from "../../../core/stream-cut.js";
import { pause } from "../../../providers/echo/faults.js";
import type { StreamFaults } from "../../../config/script-schema.js";

export interface FaultOptions<T> {
  signal: AbortSignal;
  /** Which events count as tokens for tokensPerSecond (default: all). */
  isToken?: (event: T) => boolean;
}

function failure(faults: StreamFaults, sent: number): Error | undefined {
  const ex = faults.exceptionAfterEvents;
  const cut = faults.cutAfterEvents;
  const exHere = ex !== undefined && ex.after === sent;
  const cutHere = cut !== undefined && cut === sent;
  if (exHere && (!cutHere || ex.after <= cut!)) {
    return new BedrockError(ex.type, ex.message ?? `Injected ${ex.type} after ${sent} events from a Basalt script.`,
      ex.type === "ModelStreamErrorException" ? { originalStatusCode: 500 } : {});
  }
  if (cutHere) return new StreamCut(sent);
  return undefined;
}

/** The earliest event count at which a fault fires, if any. */
function faultAt(faults: StreamFaults): number | undefined {
  const at = [faults.exceptionAfterEvents?.after, faults.cutAfterEvents].filter((n): n is number => n !== undefined);
  return at.length ? Math.min(...at) : undefined;
}

export async function* withStreamFaults<T>(events: AsyncIterable<T>, faults: StreamFaults, opts: FaultOptions<T>): AsyncIterable<T> {
  const { signal } = opts;
  const isToken = opts.isToken ?? (() => true);
  const interval = faults.tokensPerSecond ? 1000 / faults.tokensPerSecond : 0;
  const stop = faultAt(faults);
  let sent = 0;
  let tokens = 0;
  let pacingFrom = 0;
  if (stop === 0) throw failure(faults, 0)!;
  if (faults.ttftMs) await pause(faults.ttftMs, signal);
  for await (const event of events) {
    if (signal.aborted) return;
    if (faults.stallAfterEvents && sent === faults.stallAfterEvents.after) await pause(faults.stallAfterEvents.ms, signal);
    if (interval && isToken(event)) {
      if (tokens === 0) pacingFrom = Date.now();
      else {
        const wait = pacingFrom + tokens * interval - Date.now();
        if (wait > 0) await pause(wait, signal);
      }
      tokens++;
    }
    yield event;
    sent++;
    if (sent === stop) throw failure(faults, sent)!;
  }
  // The stream ended before the fault's count: fail now rather than let it look complete.
  if (stop !== undefined) throw failure(faults, stop)!;
}
