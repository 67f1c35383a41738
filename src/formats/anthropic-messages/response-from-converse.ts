// Converse output → a Messages API `message` (the anthropic family's InvokeModel answer; an Anthropic
// front door's).
import type { ConverseOutput } from "../../core/model.js";
import type { StopReason } from "../../core/shapes.generated.js";
import { anthropicBlockFromConverse } from "./blocks-from-converse.js";
import { anthropicStopReasonFromConverse } from "./map-stop-reason.js";
import { anthropicUsageFromConverse } from "./map-usage.js";
import type { AnthropicBlockOut, AnthropicMessageOut } from "./types.js";

/** What the answer says that Converse does not. */
export interface AnthropicAnswerOptions {
  /** The message id (`msg_…`). */
  id: string;
  /** The model name to report. */
  model: string;
  /** The request's stop sequences, to name the one that ended the reply. */
  stopSequences?: readonly string[];
  /**
   * How a guardrail's intervention is reported. Anthropic's own API has no guardrails: its nearest stop reason is
   * `refusal` (the default, for a Messages front door). Bedrock rewrites Claude's answer with its own
   * `guardrail_intervened`, and a streamed `message_delta` then has no `stop_sequence` (reported by LangChain's
   * users: langchain-ai/langchain-aws#176, #214).
   */
  guardrailStop?: "refusal" | "guardrail_intervened";
}

/** The Messages stop_reason for a Converse stop reason, as the answer's options say a guardrail is reported. */
export function anthropicStopReason(reason: StopReason | undefined, opts: Pick<AnthropicAnswerOptions, "guardrailStop">): string {
  return reason === "guardrail_intervened" && opts.guardrailStop ? opts.guardrailStop : anthropicStopReasonFromConverse(reason);
}

/**
 * Which stop sequence ended the reply. Converse output does not say, unless the backend passed Claude's own
 * `stop_sequence` through additionalModelResponseFields; otherwise the first one requested is reported.
 */
export function matchedStopSequence(reason: StopReason | undefined, responseFields: unknown, requested: readonly string[] | undefined): string | null {
  if (reason !== "stop_sequence") return null;
  const fields = responseFields as { stop_sequence?: unknown; delta?: { stop_sequence?: unknown } } | undefined;
  const given = fields?.stop_sequence ?? fields?.delta?.stop_sequence;
  if (typeof given === "string") return given;
  return requested?.[0] ?? null;
}

export function anthropicResponseFromConverse(output: ConverseOutput, opts: AnthropicAnswerOptions): AnthropicMessageOut {
  const blocks = output.output && "message" in output.output ? output.output.message.content : [];
  const content: AnthropicBlockOut[] = [];
  for (const b of blocks) {
    const c = anthropicBlockFromConverse(b, { citations: true });
    if (c) content.push(c);
  }
  return {
    id: opts.id,
    type: "message",
    role: "assistant",
    model: opts.model,
    content,
    stop_reason: anthropicStopReason(output.stopReason, opts),
    stop_sequence: matchedStopSequence(output.stopReason, output.additionalModelResponseFields, opts.stopSequences),
    usage: anthropicUsageFromConverse(output.usage),
  };
}
