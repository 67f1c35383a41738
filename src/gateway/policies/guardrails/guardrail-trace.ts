// The guardrail part of a Converse answer: `trace.guardrail` (input assessment and output assessments keyed
// by guardrail id, each with the applied guardrail's details; the action reason), and the blocked answer.
import { latencyMs, type CallContext, type ConverseOutput } from "../../../core/model.js";
import type { GuardrailAssessment, GuardrailTraceAssessment, GuardrailTrace } from "../../../core/shapes.generated.js";
import type { GuardrailVersionRecord } from "../../../guardrails/guardrail-definition.js";
import { ACTION_REASONS, type GuardrailEvaluation } from "../../../guardrails/evaluate-guardrail.js";

/** An assessment as a trace carries it: with the guardrail it came from. */
export function traced(evaluation: GuardrailEvaluation, record: GuardrailVersionRecord): GuardrailAssessment {
  return {
    ...evaluation.assessment,
    appliedGuardrailDetails: {
      guardrailId: record.id, guardrailVersion: record.version, guardrailArn: record.arn,
      guardrailOrigin: ["REQUEST"], guardrailOwnership: "SELF",
    },
  };
}

export interface TraceParts {
  readonly record: GuardrailVersionRecord;
  readonly input: GuardrailEvaluation;
  readonly outputs: readonly GuardrailEvaluation[];
  /** The model's own text, for `enabled_full` when the guardrail changed or withheld it. */
  readonly modelOutput?: readonly string[];
}

export function guardrailTrace(parts: TraceParts): GuardrailTraceAssessment {
  const all = [parts.input, ...parts.outputs];
  const trace: GuardrailTraceAssessment = {};
  if (parts.modelOutput?.length) trace.modelOutput = [...parts.modelOutput];
  trace.inputAssessment = { [parts.record.id]: traced(parts.input, parts.record) };
  if (parts.outputs.length) trace.outputAssessments = { [parts.record.id]: parts.outputs.map((o) => traced(o, parts.record)) };
  trace.actionReason = all.some((e) => e.blocked)
    ? ACTION_REASONS.blocked
    : all.some((e) => e.action === "GUARDRAIL_INTERVENED") ? ACTION_REASONS.masked : ACTION_REASONS.none;
  return trace;
}

export const traceOn = (mode: GuardrailTrace | undefined): boolean => mode === "enabled" || mode === "enabled_full";

/** The answer to a request whose input was blocked: the configured message, no model call, no tokens. */
export function blockedInputOutput(message: string, ctx: CallContext, trace?: GuardrailTraceAssessment): ConverseOutput {
  const output: ConverseOutput = {
    output: { message: { role: "assistant", content: [{ text: message }] } },
    stopReason: "guardrail_intervened",
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    metrics: { latencyMs: latencyMs(ctx) },
  };
  if (trace) output.trace = { guardrail: trace };
  return output;
}
