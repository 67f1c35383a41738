import type { StreamEvent } from "../../../core/model.js";
import type { Operation } from "../operation.js";
import { relayOperation } from "../relay-response.js";
import { writeEventStream, type Frame } from "../write-event-stream.js";
import { parseConverseInput } from "./converse.js";

async function* toFrames(events: AsyncIterable<StreamEvent>): AsyncIterable<Frame> {
  for await (const event of events) {
    for (const key in event) {
      yield [key, (event as Record<string, unknown>)[key]];
      break;
    }
  }
}

export const converseStream: Operation = async (call) => {
  const { res, body, served, ctx, shutdown } = call;
  const input = parseConverseInput(body, "ConverseStreamRequest");
  if (served.model.relay) return relayOperation(call, "converse-stream");
  // A stream is cut on shutdown too, so the model's upstream call is released at once.
  const streamCtx = { ...ctx, signal: AbortSignal.any([ctx.signal, shutdown]) };
  await writeEventStream(res, toFrames(served.model.converseStream(input, streamCtx)), {
    unionShape: "ConverseStreamOutput",
    requestId: ctx.requestId,
    signal: ctx.signal,
    shutdown,
  });
};
