// A whole ConverseOutput replayed as ConverseStream events. Used when a streamed request is answered
// with a plain JSON message (some Messages-API-compatible servers ignore `stream: true`): the client
// still gets a well-formed stream, in the order Bedrock sends one — text and reasoning blocks open with
// their first delta, tool calls with contentBlockStart, citations ahead of their text.
import type { ConverseOutput, StreamEvent } from "../../core/model.js";
import type { ContentBlock } from "../../core/shapes.generated.js";

export function messageAsStream(output: ConverseOutput): StreamEvent[] {
  const events: StreamEvent[] = [{ messageStart: { role: "assistant" } }];
  const blocks = output.output && "message" in output.output ? (output.output.message.content ?? []) : [];
  blocks.forEach((block, contentBlockIndex) => {
    for (const delta of blockEvents(block, contentBlockIndex)) events.push(delta);
    events.push({ contentBlockStop: { contentBlockIndex } });
  });
  const messageStop: { stopReason: ConverseOutput["stopReason"]; additionalModelResponseFields?: ConverseOutput["additionalModelResponseFields"] } = { stopReason: output.stopReason };
  if (output.additionalModelResponseFields !== undefined) messageStop.additionalModelResponseFields = output.additionalModelResponseFields;
  events.push({ messageStop }, { metadata: { usage: output.usage, metrics: output.metrics } });
  return events;
}

function blockEvents(block: ContentBlock, contentBlockIndex: number): StreamEvent[] {
  const delta = (d: object): StreamEvent => ({ contentBlockDelta: { contentBlockIndex, delta: d } }) as StreamEvent;
  if ("text" in block) return [delta({ text: block.text })];
  if ("toolUse" in block) {
    const { toolUseId, name, input } = block.toolUse;
    return [
      { contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId, name } } } },
      delta({ toolUse: { input: JSON.stringify(input ?? {}) } }),
    ];
  }
  if ("reasoningContent" in block) {
    const r = block.reasoningContent;
    if ("redactedContent" in r) return [delta({ reasoningContent: { redactedContent: r.redactedContent } })];
    const out = [delta({ reasoningContent: { text: r.reasoningText.text } })];
    if (r.reasoningText.signature) out.push(delta({ reasoningContent: { signature: r.reasoningText.signature } }));
    return out;
  }
  if ("citationsContent" in block) {
    const out = (block.citationsContent.citations ?? []).map((citation) => delta({ citation }));
    const text = (block.citationsContent.content ?? []).map((c) => c.text).join("");
    out.push(delta({ text }));
    return out;
  }
  return [];
}
