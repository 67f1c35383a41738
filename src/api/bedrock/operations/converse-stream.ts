// ConverseStream — POST /model/{modelId}/converse-stream: the model's events as event-stream frames.
import { withShutdown } from "../../../core/abort.js";
import type { ConverseInput } from "../../../core/model.js";
import type { ModelOperation } from "../operation.js";
import { writeEventStream } from "../write-event-stream.js";
import { parseConverseInput } from "./converse.js";
import { streamWithRequestOptions } from "./answer-request-options.js";

export const converseStream: ModelOperation<ConverseInput> = {
  check: ({ body }) => parseConverseInput(body, "ConverseStreamRequest"),
  async serve({ res, served, ctx, shutdown }, input) {
    // A stream is cut on shutdown too, so the model's upstream call is released at once.
    const streamCtx = withShutdown(ctx, shutdown);
    // Union members go straight to the writer, which takes each event's one key as its event type.
    await writeEventStream(res, streamWithRequestOptions(served.model.converseStream(input, streamCtx), input), {
      unionShape: "ConverseStreamOutput",
      requestId: ctx.requestId,
      record: ctx.record,
      signal: ctx.signal,
      shutdown,
    });
  },
};
