import type { StreamEvent } from "../../../core/model.js";
import type { Operation } from "../operation.js";
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

export const converseStream: Operation = async ({ res, body, served, ctx, shutdown }) => {
  const input = parseConverseInput(body, "ConverseStreamRequest");
  // A stream is cut on shutdown too, so the model's upstream call is released at once.
  const streamCtx = { ...ctx, signal: AbortSignal.any([ctx.signal, shutdown]) };
  await writeEventStream(res, toFrames(served.model.converseStream(input, streamCtx)), {
    unionShape: "ConverseStreamOutput",
    requestId: ctx.requestId,
    signal: ctx.signal,
    shutdown,
  });
};
