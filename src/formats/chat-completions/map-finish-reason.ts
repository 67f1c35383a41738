// Chat Completions finish_reason ↔ Bedrock stopReason.
import type { StopReason } from "../../core/shapes.generated.js";

/**
 * An upstream's finish_reason → stopReason.
 * @param stopReason vLLM's `stop_reason`: the stop string that matched (a string) or a stop token id
 *   (a number). It is the only way to tell a stop-sequence hit from an ordinary end; other servers
 *   report both as "stop", which then maps to end_turn.
 * @param hasToolCalls some servers (llama.cpp, older Ollama) finish a tool call with "stop".
 */
export function chatFinishReasonToConverse(
  finishReason: string | null | undefined,
  stopReason: string | number | null | undefined,
  hasToolCalls: boolean,
): StopReason {
  switch (finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "content_filtered";
    default:
      if (hasToolCalls) return "tool_use";
      if (typeof stopReason === "string") return "stop_sequence";
      return "end_turn";
  }
}

/** A stopReason → the finish_reason Basalt writes (Mistral's chat format calls it stop_reason). */
export function chatFinishReasonFromConverse(r: StopReason): string {
  switch (r) {
    case "max_tokens": return "length";
    case "tool_use": return "tool_calls";
    case "content_filtered":
    case "guardrail_intervened": return "content_filter";
    default: return "stop";
  }
}
