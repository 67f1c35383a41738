// For the completion-style families (Llama, Titan, Mistral text): text pieces one chunk each, the last
// piece held back so the final chunk carries both text and the stop reason and token counts, as theirs do.
import type { StreamEvent } from "../../core/model.js";
import type { StopReason } from "../../core/shapes.generated.js";
import { readStream } from "../../formats/converse/read-stream.js";

export interface TextChunk {
  text: string;
  /** Pieces emitted so far, this one included: the running generation count while usage is unknown. */
  count: number;
  /** Present on the last chunk only. */
  end?: { stopReason: StopReason; usage: { inputTokens: number; outputTokens: number } };
}

export async function* textChunks(events: AsyncIterable<StreamEvent>): AsyncIterable<TextChunk> {
  let held: string | undefined;
  let count = 0;
  for await (const piece of readStream(events)) {
    if (piece.kind === "text") {
      if (held !== undefined) yield { text: held, count };
      held = piece.text;
      count++;
    } else if (piece.kind === "end") {
      yield { text: held ?? "", count, end: { stopReason: piece.stopReason, usage: piece.usage } };
    }
  }
}
