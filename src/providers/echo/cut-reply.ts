// maxTokens and stopSequences applied to the echo reply: the earlier cut wins.
import { validationError } from "../../core/errors.js";
import type { StopReason } from "../../core/shapes.generated.js";
import { findStopSequence, MAX_STOP_SEQUENCE_CHARS } from "./find-stop-sequence.js";
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
  // On a tie the token limit was reached first (the stop sequence would need one more token): only a
  // sequence beginning before the cut counts.
  const stop = stopSequences?.length ? firstStop(reply, stopSequences, cut) : undefined;
  if (stop) {
    cut = stop.index;
    stopReason = "stop_sequence";
  }
  return { text: reply.slice(0, cut), stopReason };
}

function firstStop(reply: string, sequences: string[], before: number) {
  try {
    return findStopSequence(reply, sequences, before);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw validationError(
      `basalt.echo matches stop sequences of at most ${MAX_STOP_SEQUENCE_CHARS} characters in all. Shorten the stop sequences and try again.`,
    );
  }
}
