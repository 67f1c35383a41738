// Converse answers with the performanceConfig and serviceTier a request asked for (both are members of
// ConverseResponse and of the stream's metadata event), as InvokeModel answers them in its
// x-amzn-bedrock-performanceconfig-latency / x-amzn-bedrock-service-tier headers. A backend that reports
// its own (a real Bedrock upstream) is left as it is.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../../../core/model.js";

export function withRequestOptions(output: ConverseOutput, input: ConverseInput): ConverseOutput {
  if (input.performanceConfig === undefined && input.serviceTier === undefined) return output;
  return {
    ...output,
    ...(output.performanceConfig === undefined && input.performanceConfig !== undefined && { performanceConfig: input.performanceConfig }),
    ...(output.serviceTier === undefined && input.serviceTier !== undefined && { serviceTier: input.serviceTier }),
  };
}

/** The stream itself when the request asked for neither (no generator for every event to pass through). */
export function streamWithRequestOptions(events: AsyncIterable<StreamEvent>, input: ConverseInput): AsyncIterable<StreamEvent> {
  if (input.performanceConfig === undefined && input.serviceTier === undefined) return events;
  return eventsWithRequestOptions(events, input);
}

async function* eventsWithRequestOptions(events: AsyncIterable<StreamEvent>, input: ConverseInput): AsyncIterable<StreamEvent> {
  for await (const event of events) {
    const metadata = event.metadata;
    if (!metadata) {
      yield event;
      continue;
    }
    yield {
      ...event,
      metadata: {
        ...metadata,
        ...(metadata.performanceConfig === undefined && input.performanceConfig !== undefined && { performanceConfig: input.performanceConfig }),
        ...(metadata.serviceTier === undefined && input.serviceTier !== undefined && { serviceTier: input.serviceTier }),
      },
    };
  }
}
