// Streams typed events to the client as event-stream frames. Errors before the first event are ordinary
// HTTP errors; after it, a modelled exception frame ends the stream (never a silent cut).
import { BedrockError, toBedrockError } from "../../core/errors.js";
import { encodeEvent, encodeException, streamMemberName } from "./event-stream-writer.js";
import { sendError, httpStatusOf } from "./respond.js";
import { shape } from "./validation/service-model.js";
import type { Headers, Response } from "./http-types.js";

export interface EventStreamOptions {
  /** The stream union shape, e.g. ConverseStreamOutput or ResponseStream: which exceptions it can carry. */
  unionShape: string;
  requestId: string;
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

const ABORTED = Symbol("aborted");
const SHUTTING_DOWN = new BedrockError("ServiceUnavailableException", "The server is shutting down. Retry your request.");

export async function writeEventStream(res: Response, frames: AsyncIterable<Frame>, opts: EventStreamOptions): Promise<void> {
  const iterator = frames[Symbol.asyncIterator]();
  const signal = AbortSignal.any([opts.signal, opts.shutdown]);
  const shutdownReason = () => (opts.shutdown.aborted ? SHUTTING_DOWN : undefined);
  let abortWait: Promise<typeof ABORTED> | undefined;
  const aborted = () =>
    (abortWait ??= new Promise((resolve) => {
      if (signal.aborted) resolve(ABORTED);
      else signal.addEventListener("abort", () => resolve(ABORTED), { once: true });
    }));

  let first: IteratorResult<Frame>;
  try {
    const r = await Promise.race([iterator.next(), aborted()]);
    if (r === ABORTED) {
      void iterator.return?.();
      const reason = shutdownReason();
      if (reason) sendError(res, reason, opts.requestId);
      return;
    }
    first = r;
  } catch (err) {
    sendError(res, err, opts.requestId);
    return;
  }

  res.writeHead(200, {
    "content-type": "application/vnd.amazon.eventstream",
    "x-amzn-requestid": opts.requestId,
    ...opts.headers,
  });
  // HTTP/1.1 sends headers with the first chunk; flush them now so the client sees the 200 at once.
  res.flushHeaders();

  let next: IteratorResult<Frame> | typeof ABORTED = first;
  try {
    while (next !== ABORTED && !next.done) {
      const [type, payload] = next.value;
      if (!res.write(encodeEvent(type, payload))) await drained(res, signal);
      next = await Promise.race([iterator.next(), aborted()]);
    }
    if (next === ABORTED) {
      void iterator.return?.();
      const reason = shutdownReason();
      if (reason && !res.destroyed) res.write(exceptionFrame(reason, opts.unionShape));
    }
  } catch (err) {
    if (!res.destroyed) res.write(exceptionFrame(err, opts.unionShape));
  }
  if (!res.destroyed) res.end();
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
