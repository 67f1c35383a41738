// A whole Converse answer replayed as the ConverseStream events Bedrock would have sent for it. Written once
// for everything that holds a complete answer but must serve a stream: test-double scripts, the response
// cache, cassettes. The order is Bedrock's: messageStart; per block (index = its position in the content)
// the block's events then contentBlockStop; messageStop; metadata.
//   text              one delta per token (each piece carries the whitespace before it, so they join back)
//   toolUse           contentBlockStart {toolUseId, name}, then the input JSON in chunks
//   reasoningContent  reasoning text deltas per token, then one signature delta; or one redactedContent delta
//   citationsContent  the citation deltas, then the cited text per token (citations ahead of their text)
//   image             contentBlockStart {format}, then one delta with the source
import { tokenPieces } from "./text-tokens.js";
import type { ConverseOutput, StreamEvent } from "./model.js";
import type { ContentBlock, ContentBlockDelta, ConverseStreamMetadataEvent, MessageStopEvent } from "./shapes.generated.js";

// Tool input JSON goes out in pieces of this many characters, like a real model's argument deltas.
const TOOL_INPUT_CHUNK = 16;

export interface OutputAsStreamOptions {
  /** How a text run is split into deltas; default one piece per whitespace-delimited token. */
  splitText?: (text: string) => string[];
}

/** The content blocks of an answer (empty when the output carries no message). */
export function outputBlocks(output: ConverseOutput): ContentBlock[] {
  return output.output && "message" in output.output ? (output.output.message.content ?? []) : [];
}

export function outputAsStream(output: ConverseOutput, opts: OutputAsStreamOptions = {}): StreamEvent[] {
  const split = opts.splitText ?? tokenPieces;
  const events: StreamEvent[] = [{ messageStart: { role: "assistant" } }];
  outputBlocks(output).forEach((block, contentBlockIndex) => {
    for (const event of blockEvents(block, contentBlockIndex, split)) events.push(event);
    events.push({ contentBlockStop: { contentBlockIndex } });
  });
  const messageStop: MessageStopEvent = { stopReason: output.stopReason };
  if (output.additionalModelResponseFields !== undefined) messageStop.additionalModelResponseFields = output.additionalModelResponseFields;
  events.push({ messageStop });
  const metadata: ConverseStreamMetadataEvent = {
    usage: output.usage,
    metrics: { latencyMs: output.metrics?.latencyMs ?? 0 },
  };
  if (output.trace !== undefined) metadata.trace = output.trace;
  if (output.performanceConfig !== undefined) metadata.performanceConfig = output.performanceConfig;
  if (output.serviceTier !== undefined) metadata.serviceTier = output.serviceTier;
  events.push({ metadata });
  return events;
}

function blockEvents(block: ContentBlock, contentBlockIndex: number, split: (text: string) => string[]): StreamEvent[] {
  const delta = (d: ContentBlockDelta): StreamEvent => ({ contentBlockDelta: { contentBlockIndex, delta: d } });
  const texts = (text: string) => split(text).map((piece) => delta({ text: piece }));
  if ("text" in block) return texts(block.text);
  if ("toolUse" in block) {
    const { toolUseId, name, input } = block.toolUse;
    const out: StreamEvent[] = [{ contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId, name } } } }];
    const json = JSON.stringify(input ?? {});
    for (let i = 0; i < json.length; i += TOOL_INPUT_CHUNK) out.push(delta({ toolUse: { input: json.slice(i, i + TOOL_INPUT_CHUNK) } }));
    return out;
  }
  if ("reasoningContent" in block) {
    const r = block.reasoningContent;
    if ("redactedContent" in r) return [delta({ reasoningContent: { redactedContent: r.redactedContent } })];
    const out = split(r.reasoningText.text).map((piece) => delta({ reasoningContent: { text: piece } }));
    if (r.reasoningText.signature !== undefined) out.push(delta({ reasoningContent: { signature: r.reasoningText.signature } }));
    return out;
  }
  if ("citationsContent" in block) {
    const out = (block.citationsContent.citations ?? []).map((citation) => delta({ citation }));
    const text = (block.citationsContent.content ?? []).map((c) => c.text).join("");
    return [...out, ...texts(text)];
  }
  if ("image" in block) {
    return [
      { contentBlockStart: { contentBlockIndex, start: { image: { format: block.image.format } } } },
      delta({ image: { source: block.image.source } }),
    ];
  }
  return [];
}

/** Events already at hand, as the async stream a model's converseStream returns. */
export async function* eventsAsStream(events: readonly StreamEvent[]): AsyncIterable<StreamEvent> {
  yield* events;
}
