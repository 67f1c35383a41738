import type { Operation } from "../operation.js";
import { relayOperation } from "../relay-response.js";
import { writeEventStream } from "../write-event-stream.js";
import { parseConverseInput } from "./converse.js";

export const converseStream: Operation = async (call) => {
  const { res, body, served, ctx, shutdown } = call;
  const input = parseConverseInput(body, "ConverseStreamRequest");
  if (served.model.relay) return relayOperation(call, "converse-stream");
  // A stream is cut on shutdown too, so the model's upstream call is released at once.
  const streamCtx = { ...ctx, signal: AbortSignal.any([ctx.signal, shutdown]) };
  // Union members go straight to the writer, which takes each event's one key as its event type.
  await writeEventStream(res, served.model.converseStream(input, streamCtx), {
    unionShape: "ConverseStreamOutput",
    requestId: ctx.requestId,
    signal: ctx.signal,
    shutdown,
  });
};
