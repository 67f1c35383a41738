// Messages API stop_reason → Bedrock's StopReason enum (what Bedrock itself reports for Claude).
import type { StopReason } from "../../core/shapes.generated.js";

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: "end_turn",
  max_tokens: "max_tokens",
  stop_sequence: "stop_sequence",
  tool_use: "tool_use",
  refusal: "content_filtered",
  model_context_window_exceeded: "model_context_window_exceeded",
  // A server tool (web search…) paused a long turn; for the client the turn is over.
  pause_turn: "end_turn",
};

export function mapAnthropicStopReason(reason: string | null | undefined): StopReason {
  return (reason && STOP_REASONS[reason]) || "end_turn";
}
