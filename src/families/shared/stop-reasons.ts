// Converse stop reasons in each family's words, and back where a native body can carry one.
import type { StopReason } from "../../core/shapes.generated.js";

/** Llama, Mistral text: only a natural stop and the length limit exist. */
export const stopOrLength = (r: StopReason): "stop" | "length" => (r === "max_tokens" ? "length" : "stop");

/** Titan's completionReason. */
export function titanReason(r: StopReason): string {
  switch (r) {
    case "max_tokens": return "LENGTH";
    case "stop_sequence": return "STOP_CRITERIA_MET";
    case "content_filtered":
    case "guardrail_intervened": return "CONTENT_FILTERED";
    default: return "FINISH";
  }
}

/** Cohere Command R's finish_reason. */
export function cohereReason(r: StopReason): string {
  switch (r) {
    case "max_tokens": return "MAX_TOKENS";
    case "content_filtered":
    case "guardrail_intervened": return "ERROR_TOXIC";
    case "malformed_model_output":
    case "malformed_tool_use": return "ERROR";
    default: return "COMPLETE";
  }
}
