// Streams typed events to the client as event-stream frames. Errors before the first event are ordinary
// HTTP errors; after it, a modelled exception frame ends the stream (never a silent cut).
import { eitherSignal } from "../../core/abort.js";
import type { CallRecord } from "../../core/call-record.js";
import { BedrockError, errorKind, toBedrockError } from "../../core/errors.js";
import { noteStreamEvent } from "../../core/record-outcome.js";
import { encodeEvent, encodeException } from "../../formats/event-stream/encode.js";
import { isStreamCut } from "../../core/stream-cut.js";
import { breakResponse } from "../../server/break-response.js";
import type { Headers, Response } from "../../server/http-types.js";
import { ABORTED, AbortableIterator, pumpToResponse } from "../../server/pump-response.js";
import { policyHeaders, reportError, sendError } from "./respond.js";
import { shape } from "../../service-model/service-model.js";

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
  const member = errorKind(err.errorName).streamMember;
  if (exceptionMembers(unionShape).has(member)) {
    return encodeException(member, { message: err.message, ...err.fields });
  }
  // Not a member of this union: report it as a model stream error carrying the original status.
  return encodeException("modelStreamErrorException", {
    message: err.message,
    originalStatusCode: err.status,
    originalMessage: err.message,
  });
}

/** The exception frame that ends a stream, noted in the call record. */
function endFrame(error: unknown, opts: EventStreamOptions): Uint8Array {
  return exceptionFrame(reportError(error, opts.requestId, opts.record), opts.unionShape);
}

/** What a stream that is cut by shutdown ends with. */
export const SHUTTING_DOWN = new BedrockError("ServiceUnavailableException", "The server is shutting down. Retry your request.");

/** Event streams being written right now (relayed ones included), read by the basalt_streams_open gauge. */
export const openEventStreams = { count: 0 };

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
  // The pending next() is abandoned when the client leaves or the server stops, even if the model never
  // yields again.
  const items = new AbortableIterator(frames[Symbol.asyncIterator](), eitherSignal(opts.signal, opts.shutdown));
  const shutdownReason = () => (opts.shutdown.aborted ? SHUTTING_DOWN : undefined);
  let opened = false;
  try {
    let first: IteratorResult<Frame | UnionEvent>;
    try {
      const r = await items.next();
      if (r === ABORTED) {
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
      ...policyHeaders(opts.record),
    });
    // HTTP/1.1 sends headers with the first chunk; flush them now so the client sees the 200 at once.
    res.flushHeaders();
    openEventStreams.count++;
    opened = true;
    opts.record.timeToFirstTokenMs ??= Date.now() - opts.record.startedAtMs;

    try {
      const outcome = await pumpToResponse(res, items, (item) => encodeItem(item, opts.record), first);
      const reason = outcome === ABORTED ? shutdownReason() : undefined;
      if (reason && !res.destroyed) res.write(endFrame(reason, opts));
    } catch (err) {
      if (isStreamCut(err)) return breakResponse(res, opts.record);
      if (!res.destroyed) res.write(endFrame(err, opts));
    }
    if (!res.destroyed) res.end();
  } finally {
    items.release();
    if (opened) openEventStreams.count--;
  }
}
