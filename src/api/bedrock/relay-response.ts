// Pass-through for models that speak Bedrock themselves (Model.relay): the operation has parsed and validated
// the request as usual; here the raw body goes upstream and the answer comes back unchanged — status, headers,
// body bytes piped as they arrive, with backpressure. Event streams are forwarded whole message by whole
// message (re-framed by length, never decoded), so a break upstream still ends in an exception message the
// client can parse, never a silent cut or a torn frame.
import { BedrockError } from "../../core/errors.js";
import { splitEventStreamFrames } from "../../core/split-event-stream-frames.js";
import type { Model, RelayCall } from "../../core/model.js";
import type { Request, Response } from "../../server/http-types.js";
import type { OperationCall } from "./operation.js";
import type { CallRecord } from "../../core/call-record.js";
import { exceptionFrame, openEventStreams } from "./write-event-stream.js";

const EVENT_STREAM = "application/vnd.amazon.eventstream";

/** Which stream union an action's exception messages belong to. */
const STREAM_UNIONS: Record<string, string> = {
  "converse-stream": "ConverseStreamOutput",
  "invoke-with-response-stream": "ResponseStream",
};

const SHUTTING_DOWN = new BedrockError("ServiceUnavailableException", "The server is shutting down. Retry your request.");
const ABORTED = Symbol("aborted");

/** The model's relay hook, if it has one: operations call `relayOperation` instead of translating. */
export function relayOf(model: Model): Model["relay"] {
  return model.relay?.bind(model);
}

/** The client headers that carry meaning upstream: body type, wanted answer type, and Bedrock's own options. */
export function relayedRequestHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === "content-type" || name === "accept" || name.startsWith("x-amzn-bedrock-")) {
      out[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return out;
}

export async function relayOperation(call: OperationCall, action: string): Promise<void> {
  const { req, res, body, served, ctx, shutdown } = call;
  const relay = relayOf(served.model);
  if (!relay) throw new Error(`model ${served.model.id} has no relay`);
  const request: RelayCall = { action, body, headers: relayedRequestHeaders(req) };
  const unionShape = STREAM_UNIONS[action];
  // A stream is cut on shutdown too (unary calls finish), so its upstream call is released at once.
  const upstream = await relay(request, unionShape ? { ...ctx, signal: AbortSignal.any([ctx.signal, shutdown]) } : ctx);

  const headers = { ...upstream.headers, "x-amzn-requestid": upstream.headers["x-amzn-requestid"] ?? ctx.requestId };
  const isStream = upstream.status === 200 && (upstream.headers["content-type"] ?? "").startsWith(EVENT_STREAM);
  res.writeHead(upstream.status, headers);
  if (!isStream) {
    await pipe(res, upstream.body[Symbol.asyncIterator](), ctx.signal).catch(() => res.destroy());
    if (!res.destroyed) res.end();
    return;
  }
  // Show the 200 at once, as a stream's first event may take a while.
  res.flushHeaders();
  openEventStreams.count++;
  const frames = splitEventStreamFrames(upstream.body)[Symbol.asyncIterator]();
  try {
    const outcome = await pipe(res, frames, AbortSignal.any([ctx.signal, shutdown]), ctx.record);
    if (outcome === ABORTED && shutdown.aborted && !res.destroyed) res.write(exceptionFrame(SHUTTING_DOWN, unionShape ?? "ResponseStream"));
  } catch (err) {
    if (!res.destroyed) res.write(exceptionFrame(shutdown.aborted ? SHUTTING_DOWN : err, unionShape ?? "ResponseStream"));
  } finally {
    openEventStreams.count--;
  }
  if (!res.destroyed) res.end();
}

/** Writes chunks until the source ends (`done`) or the signal fires (ABORTED, source released). */
async function pipe(res: Response, source: AsyncIterator<Uint8Array>, signal: AbortSignal, record?: CallRecord): Promise<"done" | typeof ABORTED> {
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener("abort", () => resolve(ABORTED), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([source.next(), aborted]);
      if (next === ABORTED) return ABORTED;
      if (next.done) return "done";
      if (res.destroyed) return ABORTED;
      if (record) record.timeToFirstTokenMs ??= Date.now() - record.startedAtMs;
      if (!res.write(next.value)) await Promise.race([drained(res), aborted]);
    }
  } finally {
    // Releases the upstream connection when we stop early; a no-op once the source is exhausted.
    void source.return?.()?.catch(() => undefined);
  }
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}
