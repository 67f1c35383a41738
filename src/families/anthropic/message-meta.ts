// The fields of a Claude Messages response that Converse does not carry: the message id, the model name,
// the stop reason in Anthropic's words, and the usage object.
import { randomBytes } from "node:crypto";
import type { ConverseInput } from "../../core/model.js";
import { arnResource } from "../../core/model-id.js";
import type { StopReason, TokenUsage } from "../../core/shapes.generated.js";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `msg_bdrk_01…`: the shape of the ids Bedrock gives Claude responses. */
export function messageId(): string {
  const bytes = randomBytes(22);
  let s = "msg_bdrk_01";
  for (const b of bytes) s += BASE62[b % 62];
  return s;
}

/**
 * The `model` Claude reports: the model id without ARN path, inference-profile prefix, provider prefix and
 * version suffix (`us.anthropic.claude-3-5-haiku-20241022-v1:0` → `claude-3-5-haiku-20241022`).
 */
export function modelName(modelId: string): string {
  const tail = arnResource(modelId);
  const at = tail.indexOf("anthropic.");
  if (at === -1) return tail;
  return tail.slice(at + "anthropic.".length).replace(/-v\d+(:\d+)?$/, "");
}

const STOP_REASONS: Partial<Record<StopReason, string>> = {
  end_turn: "end_turn",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  stop_sequence: "stop_sequence",
  content_filtered: "refusal",
  guardrail_intervened: "refusal",
  model_context_window_exceeded: "model_context_window_exceeded",
};

export function mapStopReason(reason: StopReason | undefined): string {
  return (reason && STOP_REASONS[reason]) ?? "end_turn";
}

/**
 * Which stop sequence ended the reply. Converse output does not say, unless the backend passed Claude's own
 * `stop_sequence` through additionalModelResponseFields; otherwise the first one requested is reported.
 */
export function matchedStopSequence(
  reason: StopReason | undefined,
  responseFields: unknown,
  input: ConverseInput | undefined,
): string | null {
  if (reason !== "stop_sequence") return null;
  const fields = responseFields as { stop_sequence?: unknown; delta?: { stop_sequence?: unknown } } | undefined;
  const given = fields?.stop_sequence ?? fields?.delta?.stop_sequence;
  if (typeof given === "string") return given;
  return input?.inferenceConfig?.stopSequences?.[0] ?? null;
}

export interface ClaudeUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export function claudeUsage(u: TokenUsage | undefined): ClaudeUsage {
  return {
    input_tokens: u?.inputTokens ?? 0,
    cache_creation_input_tokens: u?.cacheWriteInputTokens ?? 0,
    cache_read_input_tokens: u?.cacheReadInputTokens ?? 0,
    output_tokens: u?.outputTokens ?? 0,
  };
}
