// Messages API stop_reason ↔ Bedrock's StopReason (what Bedrock itself reports for Claude).
import type { StopReason } from "../../core/shapes.generated.js";

const TO_CONVERSE: Record<string, StopReason> = {
  end_turn: "end_turn",
  max_tokens: "max_tokens",
  stop_sequence: "stop_sequence",
  tool_use: "tool_use",
  refusal: "content_filtered",
  model_context_window_exceeded: "model_context_window_exceeded",
  // A server tool (web search…) paused a long turn; for the client the turn is over.
  pause_turn: "end_turn",
};

const FROM_CONVERSE: Partial<Record<StopReason, string>> = {
  end_turn: "end_turn",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  stop_sequence: "stop_sequence",
  content_filtered: "refusal",
  guardrail_intervened: "refusal",
  model_context_window_exceeded: "model_context_window_exceeded",
};

export function anthropicStopReasonToConverse(reason: string | null | undefined): StopReason {
  return (reason && TO_CONVERSE[reason]) || "end_turn";
}

export function anthropicStopReasonFromConverse(reason: StopReason | undefined): string {
  return (reason && FROM_CONVERSE[reason]) ?? "end_turn";
}
