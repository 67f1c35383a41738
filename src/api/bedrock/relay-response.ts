// Pass-through for models that speak Bedrock themselves (Model.relay): the operation's `check` has parsed and
// validated the request as usual; here the raw body goes upstream and the answer comes back unchanged —
// status, headers, body bytes piped as they arrive, with backpressure (server/pump-response.ts, the same loop
// the event-stream writer uses). Event streams are forwarded whole message by whole message (re-framed by
// length, never decoded), so a break upstream still ends in an exception message the client can parse,
// never a silent cut or a torn frame.
import { eitherSignal, withShutdown } from "../../core/abort.js";
import type { Model, RelayCall } from "../../core/model.js";
import { splitEventStreamFrames } from "../../formats/event-stream/split.js";
import type { Request } from "../../server/http-types.js";
import { ABORTED, AbortableIterator, pumpToResponse } from "../../server/pump-response.js";
import type { OperationCall } from "./operation.js";
import { reportError } from "./respond.js";
import { exceptionFrame, openEventStreams, SHUTTING_DOWN } from "./write-event-stream.js";

const EVENT_STREAM = "application/vnd.amazon.eventstream";

/** Which stream union an action's exception messages belong to. */
const STREAM_UNIONS: Record<string, string> = {
  "converse-stream": "ConverseStreamOutput",
  "invoke-with-response-stream": "ResponseStream",
};

/** The model's relay hook, if it has one: the runtime door calls `relayOperation` instead of `serve`. */
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

const asIs = (chunk: Uint8Array) => chunk;

export async function relayOperation(call: OperationCall, action: string): Promise<void> {
  const { req, res, body, served, ctx, shutdown } = call;
  const relay = relayOf(served.model);
  if (!relay) throw new Error(`model ${served.model.id} has no relay`);
  const request: RelayCall = { action, body, headers: relayedRequestHeaders(req) };
  const unionShape = STREAM_UNIONS[action];
  // A stream is cut on shutdown too (unary calls finish), so its upstream call is released at once.
  const upstream = await relay(request, unionShape ? withShutdown(ctx, shutdown) : ctx);

  const headers = { ...upstream.headers, "x-amzn-requestid": upstream.headers["x-amzn-requestid"] ?? ctx.requestId };
  const isStream = upstream.status === 200 && (upstream.headers["content-type"] ?? "").startsWith(EVENT_STREAM);
  ctx.record.status = upstream.status;
  if (upstream.status !== 200) ctx.record.errorName = upstream.headers["x-amzn-errortype"]?.split(":")[0];
  res.writeHead(upstream.status, headers);
  if (!isStream) {
    const bytes = new AbortableIterator(upstream.body[Symbol.asyncIterator](), ctx.signal);
    await pumpToResponse(res, bytes, asIs).catch(() => res.destroy()).finally(() => bytes.release());
    if (!res.destroyed) res.end();
    return;
  }
  // Show the 200 at once, as a stream's first event may take a while.
  res.flushHeaders();
  openEventStreams.count++;
  const frames = new AbortableIterator(splitEventStreamFrames(upstream.body)[Symbol.asyncIterator](), eitherSignal(ctx.signal, shutdown));
  const union = unionShape ?? "ResponseStream";
  try {
    const record = ctx.record;
    const outcome = await pumpToResponse(res, frames, (frame: Uint8Array) => {
      record.timeToFirstTokenMs ??= Date.now() - record.startedAtMs;
      return frame;
    });
    if (outcome === ABORTED && shutdown.aborted && !res.destroyed) res.write(exceptionFrame(reportError(SHUTTING_DOWN, ctx.requestId, ctx.record), union));
  } catch (err) {
    if (!res.destroyed) res.write(exceptionFrame(reportError(shutdown.aborted ? SHUTTING_DOWN : err, ctx.requestId, ctx.record), union));
  } finally {
    frames.release();
    openEventStreams.count--;
  }
  if (!res.destroyed) res.end();
}
