// InvokeModelWithResponseStream — POST /model/{modelId}/invoke-with-response-stream (DIGEST §7): `chunk`
// events whose bytes are the family's native stream chunks; the last chunk gains Bedrock's
// `amazon-bedrock-invocationMetrics`. Failures after the first chunk become exception frames.
import { latencyMs, type CallContext, type StreamEvent } from "../../../core/model.js";
import type { TokenUsage } from "../../../core/shapes.generated.js";
import { withShutdown } from "../../../core/abort.js";
import { noteStreamEvent } from "../../../core/record-outcome.js";
import type { Headers } from "../../../server/http-types.js";
import type { ModelOperation, OperationCall } from "../operation.js";
import type { EarlyUsage } from "../../../families/family.js";
import { knownPromptTokens } from "../../../providers/echo/index.js";
import { writeEventStream, type Frame } from "../write-event-stream.js";
import { checkInvokeHeaders, parseInvokeRequest } from "./invoke-request.js";
import { invokeGuardrailFields } from "../../../guardrails/invoke-model-guardrail-fields.js";
import type { ConverseInput } from "../../../core/model.js";
import type { GuardrailTraceAssessment, StopReason } from "../../../core/shapes.generated.js";

type Chunk = Record<string, unknown>;

/** Watches the model's events for what the invocation metrics need: first-event time and usage. */
class StreamMeter {
  firstByteLatency?: number;
  usage?: TokenUsage;
  stopReason?: StopReason;
  guardrailTrace?: GuardrailTraceAssessment;

  constructor(private readonly ctx: CallContext) {}

  /** Whether the model's stream has reached its end: the chunks made from here on may be the last. */
  get ending(): boolean {
    return this.stopReason !== undefined || this.usage !== undefined;
  }

  /** The call's record: what the guardrail did to the request is noted there, not in the stream. */
  get record(): CallContext["record"] {
    return this.ctx.record;
  }

  async *tap(events: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
    for await (const event of events) {
      this.firstByteLatency ??= latencyMs(this.ctx);
      if (event.metadata) {
        this.usage = event.metadata.usage;
        this.guardrailTrace = event.metadata.trace?.guardrail;
      }
      if (event.messageStop) this.stopReason = event.messageStop.stopReason;
      for (const type in event) noteStreamEvent(this.ctx.record, type, (event as Record<string, unknown>)[type]);
      yield event;
    }
  }

  metrics(): Record<string, number> {
    const invocationLatency = latencyMs(this.ctx);
    const m: Record<string, number> = {
      inputTokenCount: this.usage?.inputTokens ?? 0,
      outputTokenCount: this.usage?.outputTokens ?? 0,
      invocationLatency,
      firstByteLatency: this.firstByteLatency ?? invocationLatency,
    };
    if (this.usage?.cacheReadInputTokens) m.cacheReadInputTokenCount = this.usage.cacheReadInputTokens;
    if (this.usage?.cacheWriteInputTokens) m.cacheWriteInputTokenCount = this.usage.cacheWriteInputTokens;
    return m;
  }
}

/**
 * Each chunk as a `chunk` frame, the last one carrying the invocation metrics. Only a chunk made once the model's
 * stream has reached its end (its messageStop or metadata) may be the last, so only those are held back one step;
 * every chunk before them goes out the moment it is made (holding each one until the next arrived put every
 * delta one upstream event late). A failure still sends the chunk held back before the exception.
 */
async function* toFrames(chunks: AsyncIterable<Chunk>, meter: StreamMeter, input: ConverseInput): AsyncIterable<Frame> {
  let held: Chunk | undefined;
  try {
    for await (const chunk of chunks) {
      if (held) yield chunkFrame(held);
      held = undefined;
      if (meter.ending) held = chunk;
      else yield chunkFrame(chunk);
    }
  } catch (err) {
    if (held) yield chunkFrame(held);
    throw err;
  }
  if (held) {
    // A guardrail's action and trace ride on the last chunk, as Bedrock sends them.
    const guardrail = invokeGuardrailFields(input, meter.stopReason, meter.guardrailTrace, meter.record);
    yield chunkFrame({ ...held, ...guardrail, "amazon-bedrock-invocationMetrics": meter.metrics() });
  }
}

/** The prompt's tokens for the families that report them in their first chunk, where known up front. */
function earlyUsage({ served }: OperationCall, input: ConverseInput): EarlyUsage | undefined {
  const inputTokens = knownPromptTokens(served.info, input);
  return inputTokens === undefined ? undefined : { inputTokens };
}

const chunkFrame = (chunk: Chunk): Frame => ["chunk", { bytes: Buffer.from(JSON.stringify(chunk)).toString("base64") }];

export const invokeModelStream: ModelOperation<Headers> = {
  check: ({ req }) => checkInvokeHeaders(req, "InvokeModelWithResponseStreamRequest"),
  async serve(call, echoed) {
    const { res, served, ctx, shutdown } = call;
    const request = parseInvokeRequest(call);
    // A stream is cut on shutdown too, so the model's upstream call is released at once.
    const streamCtx = withShutdown(ctx, shutdown);
    const meter = new StreamMeter(ctx);
    const early = earlyUsage(call, request.input);
    const chunks = request.toChunks(meter.tap(served.model.converseStream(request.input, streamCtx)), early);
    await writeEventStream(res, toFrames(chunks, meter, request.input), {
      unionShape: "ResponseStream",
      requestId: ctx.requestId,
      record: ctx.record,
      signal: ctx.signal,
      shutdown,
      headers: { "x-amzn-bedrock-content-type": "application/json", ...echoed },
    });
  },
};
