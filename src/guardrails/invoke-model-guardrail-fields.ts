// What Bedrock adds to an InvokeModel answer (and to the last chunk of its stream) when the request named a
// guardrail: `amazon-bedrock-guardrailAction` (INTERVENED | NONE) and, with X-Amzn-Bedrock-Trace on,
// `amazon-bedrock-trace.guardrail` in InvokeModel's own layout (`input` keyed by guardrail id, `outputs` a
// list, `modelOutput`), made from the Converse trace the guardrails policy produced.
//
// The action is the guardrail's, as ApplyGuardrail reports it: INTERVENED when it blocked or masked anything,
// the request included. A masked prompt leaves the model's stop reason alone (end_turn), but the guardrail
// did act, and its trace says so.
import type { CallRecord } from "../core/call-record.js";
import type { ConverseInput } from "../core/model.js";
import type { GuardrailTraceAssessment, StopReason } from "../core/shapes.generated.js";

export function invokeGuardrailFields(
  input: ConverseInput,
  stopReason: StopReason | undefined,
  trace: GuardrailTraceAssessment | undefined,
  record: Pick<CallRecord, "guardrailAction">,
): Record<string, unknown> {
  if (!input.guardrailConfig) return {};
  const intervened = stopReason === "guardrail_intervened" || record.guardrailAction === "GUARDRAIL_INTERVENED";
  const fields: Record<string, unknown> = {
    "amazon-bedrock-guardrailAction": intervened ? "INTERVENED" : "NONE",
  };
  if (trace) {
    const guardrail: Record<string, unknown> = {};
    if (trace.modelOutput) guardrail.modelOutput = trace.modelOutput;
    if (trace.inputAssessment) guardrail.input = trace.inputAssessment;
    if (trace.outputAssessments) guardrail.outputs = Object.values(trace.outputAssessments).flat();
    if (trace.actionReason) guardrail.actionReason = trace.actionReason;
    fields["amazon-bedrock-trace"] = { guardrail };
  }
  return fields;
}
