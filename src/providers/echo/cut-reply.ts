// maxTokens and stopSequences applied to the echo reply: the earlier cut wins.
import type { StopReason } from "../../core/shapes.generated.js";
import { isSpace } from "../../core/text-tokens.js";

export interface CutReply { text: string; stopReason: StopReason }

export function cutReply(reply: string, maxTokens: number | undefined, stopSequences: string[] | undefined): CutReply {
  let cut = reply.length;
  let stopReason: StopReason = "end_turn";
  if (maxTokens !== undefined) {
    // Cut right after the maxTokens-th token when the reply has more tokens than that.
    let n = 0;
    let i = 0;
    const len = reply.length;
    while (i < len) {
      while (i < len && isSpace(reply.charCodeAt(i))) i++;
      if (i === len) break;
      while (i < len && !isSpace(reply.charCodeAt(i))) i++;
      if (++n === maxTokens) {
        let j = i;
        while (j < len && isSpace(reply.charCodeAt(j))) j++;
        if (j < len) {
          cut = i;
          stopReason = "max_tokens";
        }
        break;
      }
    }
  }
  for (const seq of stopSequences ?? []) {
    if (!seq) continue;
    const at = reply.indexOf(seq);
    // On a tie the token limit was reached first (the stop sequence would need one more token).
    if (at !== -1 && at < cut) {
      cut = at;
      stopReason = "stop_sequence";
    }
  }
  return { text: reply.slice(0, cut), stopReason };
}
