// Streams typed events to the client as event-stream frames. Errors before the first event are ordinary
// HTTP errors; after it, a modelled exception frame ends the stream (never a silent cut).
import { BedrockError, toBedrockError } from "../../core/errors.js";
import { encodeEvent, encodeException, streamMemberName } from "./event-stream-writer.js";
import { httpStatusOf, reportError, sendError } from "./respond.js";
import { shape } from "./validation/service-model.js";
import type { CallRecord } from "../../core/call-record.js";
import { noteStreamEvent } from "../../core/record-outcome.js";
import { isStreamCut } from "../../core/stream-cut.js";
import { breakResponse } from "../../server/break-response.js";
import type { Headers, Response } from "../../server/http-types.js";

export interface EventStreamOptions {
  /** The stream union shape, e.g. ConverseStreamOutput or ResponseStream: which exceptions it can carry. */
  unionShape: string;
  requestId: string;
  /** Filled in from the events written: usage, stop reason, the exception that ended the stream. */
  record: CallRecord;
  /** Aborted on client disconnect. */
  signal: AbortSignal;
  /** Aborted when the server shuts down: the stream then ends with a serviceUnavailableException. */
  shutdown: AbortSignal;
  headers?: Headers;
}

const exceptionMembersCache = new Map<string, Set<string>>();
function exceptionMembers(unionShape: string): Set<string> {
  let set = exceptionMembersCache.get(unionShape);
  if (!set) {
    set = new Set(Object.keys(shape(unionShape).members ?? {}).filter((m) => shape(shape(unionShape).members![m].shape).exception));
    exceptionMembersCache.set(unionShape, set);
  }
  return set;
}

/** One frame: an event type and its payload. */
export type Frame = readonly [eventType: string, payload: unknown];
/** A stream union member as models yield it, e.g. `{ contentBlockDelta: {…} }`: its one key is the event type. */
export type UnionEvent = object;

export function exceptionFrame(error: unknown, unionShape: string): Uint8Array {
  const err = toBedrockError(error);
  const member = streamMemberName(err.errorName);
  if (exceptionMembers(unionShape).has(member)) {
    return encodeException(member, { message: err.message, ...err.fields });
  }
  // Not a member of this union: report it as a model stream error carrying the original status.
  return encodeException("modelStreamErrorException", {
    message: err.message,
    originalStatusCode: httpStatusOf(err),
    originalMessage: err.message,
  });
}

/** The exception frame that ends a stream, noted in the call record. */
function endFrame(error: unknown, opts: EventStreamOptions): Uint8Array {
  return exceptionFrame(reportError(error, opts.requestId, opts.record), opts.unionShape);
}

const ABORTED = Symbol("aborted");

/** Event streams being written right now (relayed ones included), read by the basalt_streams_open gauge. */
export const openEventStreams = { count: 0 };
const SHUTTING_DOWN = new BedrockError("ServiceUnavailableException", "The server is shutting down. Retry your request.");

// Frames produced in the same tick are written together (one socket write / HTTP/2 DATA frame instead of
// one per event), up to this many bytes; the first frame is always written at once.
const BATCH_BYTES = 64 * 1024;

function encodeItem(item: Frame | UnionEvent, record: CallRecord): Uint8Array | undefined {
  if (Array.isArray(item)) {
    const [type, payload] = item as unknown as Frame;
    return encodeEvent(type, payload);
  }
  for (const key in item) {
    const payload = (item as Record<string, unknown>)[key];
    noteStreamEvent(record, key, payload);
    return encodeEvent(key, payload);
  }
  return undefined;
}

export async function writeEventStream(
  res: Response, frames: AsyncIterable<Frame | UnionEvent>, opts: EventStreamOptions,
): Promise<void> {
  const iterator = frames[Symbol.asyncIterator]();
  const signal = AbortSignal.any([opts.signal, opts.shutdown]);
  const shutdownReason = () => (opts.shutdown.aborted ? SHUTTING_DOWN : undefined);
  // The pending next() is abandoned when the client leaves or the server stops, even if the model never
  // yields again: one listener for the whole stream settles whichever wait is current (cheaper than a
  // Promise.race per event, which would also pile a reaction per event onto one long-lived promise).
  let wake: ((v: typeof ABORTED) => void) | undefined;
  const onAbort = () => wake?.(ABORTED);
  signal.addEventListener("abort", onAbort, { once: true });
  const next = (): Promise<IteratorResult<Frame | UnionEvent> | typeof ABORTED> => {
    if (signal.aborted) return Promise.resolve(ABORTED);
    return new Promise((resolve, reject) => {
      wake = resolve;
      iterator.next().then(resolve, reject);
    });
  };

  let opened = false;
  try {
    let first: IteratorResult<Frame | UnionEvent>;
    try {
      const r = await next();
      if (r === ABORTED) {
        void iterator.return?.();
        const reason = shutdownReason();
        if (reason) sendError(res, reason, opts.requestId, opts.record);
        return;
      }
      first = r;
    } catch (err) {
      if (isStreamCut(err)) breakResponse(res, opts.record);
      else sendError(res, err, opts.requestId, opts.record);
      return;
    }

    res.writeHead(200, {
      "content-type": "application/vnd.amazon.eventstream",
      "x-amzn-requestid": opts.requestId,
      ...opts.headers,
    });
    // HTTP/1.1 sends headers with the first chunk; flush them now so the client sees the 200 at once.
    res.flushHeaders();
    openEventStreams.count++;
    opened = true;
    opts.record.timeToFirstTokenMs ??= Date.now() - opts.record.startedAtMs;

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
      if (!res.destroyed && !res.write(data)) drainWait ??= drained(res, signal);
    };

    let n: IteratorResult<Frame | UnionEvent> | typeof ABORTED = first;
    let written = 0;
    try {
      while (n !== ABORTED && !n.done) {
        const bytes = encodeItem(n.value, opts.record);
        if (bytes) {
          batch.push(bytes);
          batchBytes += bytes.byteLength;
          if (written++ === 0 || batchBytes >= BATCH_BYTES) {
            flush();
            // Let I/O run after the first frame and between large batches of a model that yields without
            // pause: HTTP/1.1 corks the socket until the next tick and HTTP/2 sends its queued frames later,
            // so without this the first event would wait for the whole first batch to be built.
            if (!drainWait) await new Promise<void>((resolve) => setImmediate(resolve));
          } else if (!flushQueued) {
            // Runs once the current burst of ready events is exhausted (before any I/O).
            flushQueued = true;
            process.nextTick(flush);
          }
        }
        if (drainWait) {
          await drainWait;
          drainWait = undefined;
        }
        n = await next();
      }
      flush();
      if (n === ABORTED) {
        void iterator.return?.();
        const reason = shutdownReason();
        if (reason && !res.destroyed) res.write(endFrame(reason, opts));
      }
    } catch (err) {
      flush();
      if (isStreamCut(err)) {
        breakResponse(res, opts.record);
        return;
      }
      if (!res.destroyed) res.write(endFrame(err, opts));
    }
    if (!res.destroyed) res.end();
  } finally {
    if (opened) openEventStreams.count--;
    wake = undefined;
    signal.removeEventListener("abort", onAbort);
  }
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
