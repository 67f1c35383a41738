// contextualGroundingPolicyConfig: GROUNDING (is the response supported by the `grounding_source` blocks?)
// and RELEVANCE (does it answer the `query` blocks?). Evaluated on OUTPUT only, and each filter only when its
// reference is given ("when a reference source and a user query is provided", as Bedrock documents it): a
// Converse answer without grounding_source / query guardContent is not grounding-checked. A score below
// the filter's threshold is detected.
import type { GuardrailContextualGroundingPolicyConfig } from "../../core/control-plane-shapes.generated.js";
import type { GuardrailContextualGroundingFilter, GuardrailContextualGroundingPolicyAssessment } from "../../core/shapes.generated.js";
import type { GuardrailContextualGroundingFilterConfig, GuardrailSource } from "../guardrail-definition.js";
import { blockAction } from "./actions.js";

export function activeGroundingFilters(
  config: GuardrailContextualGroundingPolicyConfig | undefined,
  source: GuardrailSource,
  present: { readonly source: boolean; readonly query: boolean },
): GuardrailContextualGroundingFilterConfig[] {
  if (source !== "OUTPUT") return [];
  return (config?.filtersConfig ?? []).filter((f) =>
    (f.enabled ?? true) && (f.type === "GROUNDING" ? present.source : present.query));
}

export interface GroundingPolicyResult { readonly blocked: boolean; readonly assessment?: GuardrailContextualGroundingPolicyAssessment }

/** Grounding filters are always reported with their score (the score is the point of the policy). */
export function groundingPolicyAssessment(
  filters: readonly GuardrailContextualGroundingFilterConfig[],
  scores: { readonly grounding: number; readonly relevance: number },
): GroundingPolicyResult {
  const entries: GuardrailContextualGroundingFilter[] = [];
  let blocked = false;
  for (const f of filters) {
    const score = f.type === "GROUNDING" ? scores.grounding : scores.relevance;
    const detected = score < f.threshold;
    const action = detected ? blockAction(f.action ?? "BLOCK") : "NONE";
    if (action === "BLOCKED") blocked = true;
    entries.push({ type: f.type, threshold: f.threshold, score, action, detected });
  }
  return { blocked, assessment: entries.length ? { filters: entries } : undefined };
}
