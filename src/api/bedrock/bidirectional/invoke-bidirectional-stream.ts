// InvokeModelWithBidirectionalStream — POST /model/{modelId}/invoke-with-bidirectional-stream (DIGEST §8).
// Over HTTP/2 the request and the response are both event streams flowing at once: the 200 and its headers
// go out as soon as the request is accepted (current JS SDKs send events without waiting for them), input
// chunks are read as they arrive and handed to the model's event protocol (Nova Sonic: nova-sonic/), and
// output events are written as the protocol produces them. Refusals before the 200 are ordinary HTTP errors;
// after it, an exception event ends the stream (a bad input event, a model error, a session limit, the
// server stopping). The client half-closing, or sending sessionEnd, ends it cleanly once its turns are
// answered. A model whose upstream speaks the protocol itself (a Nova Sonic model behind a `bedrock`
// provider) is relayed instead (relay/).
import { checkModelAccess } from "../../../auth/check-model-access.js";
import { BedrockError, validationError } from "../../../core/errors.js";
import type { ModelCatalog, ModelInfo } from "../../../core/model-info.js";
import type { CallContext } from "../../../core/model.js";
import { isHttp2, resetAfterAnswer } from "../../../server/release-request.js";
import { ABORTED, AbortableIterator } from "../../../server/pump-response.js";
import type { IncomingCall } from "../../../server/call-context.js";
import type { RequestOperation } from "../operation.js";
import { openEventStreams, SHUTTING_DOWN } from "../write-event-stream.js";
import { OutputChannel } from "./output-channel.js";
import { readInputChunks } from "./read-input-chunks.js";
import { requestBytes } from "./request-bytes.js";
import { DEFAULT_SESSION_LIMITS, watchSessionLimits, type SessionLimits } from "./session-limits.js";
import type { SessionOutput, SessionProtocol } from "./session-protocol.js";
import { servedSession } from "./nova-sonic/served-session.js";
import { relayedSession } from "./relay/relayed-session.js";
import type { RelayTargetOf } from "./relay/relay-targets.js";

export interface BidirectionalStreamOptions {
  readonly catalog: ModelCatalog;
  /** Whether a served model's backend echoes audio (basalt.echo): every other backend is text only. */
  readonly echoesAudio: (info: ModelInfo) => boolean;
  readonly limits?: Partial<SessionLimits>;
  /** A user text turn sent mid-answer interrupts the answer (barge-in) instead of waiting for it. */
  readonly bargeIn?: boolean;
  /** Models relayed as a duplex stream to a Bedrock upstream (relay/relay-targets.ts); others are served. */
  readonly relayTargetOf?: RelayTargetOf;
}

const EVENT_STREAM = "application/vnd.amazon.eventstream";

const needsHttp2 = () => validationError(
  "InvokeModelWithBidirectionalStream requires HTTP/2. Send the request over HTTP/2 (the AWS SDKs' HTTP/2 handler) and try again.",
);

export function invokeModelWithBidirectionalStream(opts: BidirectionalStreamOptions): RequestOperation {
  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };

  return async (call, labels) => {
    try {
      await serve(call, labels.modelId);
    } catch (err) {
      // A refusal before the stream opened: once it is answered, let go of the input the client is still
      // sending (HTTP/2 RST_STREAM CANCEL), so the stream does not stay half open.
      if (isHttp2(call.res) && !call.res.headersSent) resetAfterAnswer(call.res);
      throw err;
    }
  };

  async function serve(call: IncomingCall, modelId: string): Promise<void> {
    const record = call.record;
    record.requestedModelId = modelId;
    if (!isHttp2(call.res)) {
      // Drained first, so a client that writes its whole body before reading sees the answer.
      await call.readBody().catch(() => undefined);
      throw needsHttp2();
    }
    const served = opts.catalog.resolve(modelId);
    if (!served) throw validationError("The provided model identifier is invalid.");
    record.modelId = served.info.id;
    record.provider = served.info.provider;
    record.upstreamModel = served.info.model ?? served.info.id;
    checkContentType(call);
    // The model policy checks each turn too; refusing here answers before the stream opens.
    checkModelAccess(call.caller, { servedModelId: served.info.id, requestedModelId: modelId, operation: record.operation });
    // Auth on and SigV4: the body must be signed event by event, or nothing would cover it.
    if (call.caller.via === "sigv4" && !call.eventSignatures) {
      throw new BedrockError("InvalidSignatureException", "InvokeModelWithBidirectionalStream must be signed with x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS.");
    }
    const relay = opts.relayTargetOf?.(served.info);
    if (relay) {
      await runSession(call, modelId, (output, ctx) => relayedSession({ ...relay, ctx, output }), limits);
      return;
    }
    const echoAudio = opts.echoesAudio(served.info);
    await runSession(call, modelId, (output, ctx) => servedSession({ modelId, model: served.model, ctx, echoAudio, bargeIn: opts.bargeIn, output }), limits);
  }
}

function checkContentType(call: IncomingCall): void {
  const type = call.req.headers["content-type"];
  if (type === undefined) return;
  const media = type.split(";")[0].trim().toLowerCase();
  if (media !== EVENT_STREAM) throw validationError(`The content type ${media} isn't supported. Send the body as ${EVENT_STREAM}.`);
}

/** How the session of an accepted request is run, made once its stream is open. */
type OpenProtocol = (output: SessionOutput, ctx: CallContext) => SessionProtocol;

async function runSession(call: IncomingCall, modelId: string, open: OpenProtocol, limits: SessionLimits): Promise<void> {
  const { res, record } = call;
  if (call.shutdown.aborted) throw SHUTTING_DOWN;
  // Ends the session early: the reason is what the exception event says.
  const teardown = new AbortController();
  const endWith = (error: unknown) => {
    if (!teardown.signal.aborted) teardown.abort(error);
  };
  const onShutdown = () => endWith(SHUTTING_DOWN);

  res.writeHead(200, { "content-type": EVENT_STREAM, "x-amzn-requestid": call.requestId });
  res.flushHeaders();
  openEventStreams.count++;
  record.status = 200;
  const out = new OutputChannel(res, call.requestId, record);
  const watch = watchSessionLimits(limits, endWith);
  call.shutdown.addEventListener("abort", onShutdown, { once: true });
  const ctx = call.contextFor(modelId);
  const protocol = open({
    send(bytes) {
      watch.touch();
      record.timeToFirstTokenMs ??= Date.now() - record.startedAtMs;
      return out.send(bytes);
    },
    fail: endWith,
    usage(inputTokens, outputTokens) {
      record.inputTokens = inputTokens;
      record.outputTokens = outputTokens;
    },
  }, { ...ctx, signal: AbortSignal.any([ctx.signal, teardown.signal]) });

  const chunks = new AbortableIterator(
    readInputChunks(requestBytes(call.req), call.eventSignatures)[Symbol.asyncIterator](),
    AbortSignal.any([teardown.signal, call.signal]),
  );
  try {
    for (;;) {
      const next = await chunks.next();
      if (next === ABORTED) {
        // The client left: what it had asked for is abandoned, its upstream calls released.
        if (call.signal.aborted) endWith(new BedrockError("ModelStreamErrorException", "The client closed the stream."));
        break;
      }
      if (next.done) break;
      watch.touch();
      await protocol.input(next.value);
      if (protocol.ended) break;
    }
    // Input is over (half-close or the protocol's own end): what was asked for is still answered.
    if (!teardown.signal.aborted) await Promise.race([protocol.finish(), aborted(teardown.signal)]);
  } catch (err) {
    endWith(err);
  } finally {
    chunks.release();
    watch.stop();
    call.shutdown.removeEventListener("abort", onShutdown);
    openEventStreams.count--;
  }
  if (teardown.signal.aborted) {
    protocol.abort();
    out.fail(teardown.signal.reason);
    // The client may still be sending: let go of its half of the stream once the answer is out.
    resetAfterAnswer(res);
    return;
  }
  out.end();
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
