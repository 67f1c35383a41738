// contextualGroundingPolicyConfig: GROUNDING (is the response supported by the `grounding_source` blocks?)
// and RELEVANCE (does it answer the `query` blocks?). Evaluated on OUTPUT only, and each filter only when its
// reference is given ("when a reference source and a user query is provided", as Bedrock documents it): a
// Converse answer without grounding_source / query guardContent is not grounding-checked. A score below
// the filter's threshold is detected.
import type { GuardrailContextualGroundingPolicyConfig } from "../../core/control-plane-shapes.generated.js";
import type { GuardrailContextualGroundingFilter, GuardrailContextualGroundingPolicyAssessment } from "../../core/shapes.generated.js";
import type { GuardrailContextualGroundingFilterConfig, GuardrailSource } from "../guardrail-definition.js";
import { blockAction } from "./actions.js";

const NONE: readonly GuardrailContextualGroundingFilterConfig[] = Object.freeze([]);

/** The enabled grounding filters of a source: only model answers (OUTPUT) are checked for grounding. */
export function configuredGroundingFilters(
  config: GuardrailContextualGroundingPolicyConfig | undefined,
  source: GuardrailSource,
): readonly GuardrailContextualGroundingFilterConfig[] {
  if (source !== "OUTPUT" || !config?.filtersConfig?.length) return NONE;
  return Object.freeze(config.filtersConfig.filter((f) => f.enabled ?? true));
}

/** Those of `configured` whose reference is in the content: GROUNDING needs a source, RELEVANCE a query. */
export function applicableGroundingFilters(
  configured: readonly GuardrailContextualGroundingFilterConfig[],
  present: { readonly source: boolean; readonly query: boolean },
): readonly GuardrailContextualGroundingFilterConfig[] {
  if (configured.length === 0) return NONE;
  return configured.filter((f) => (f.type === "GROUNDING" ? present.source : present.query));
}

export interface GroundingPolicyResult { readonly blocked: boolean; readonly assessment?: GuardrailContextualGroundingPolicyAssessment }

/** Grounding filters are always reported with their score (the score is the point of the policy). */
const NOT_BLOCKED: GroundingPolicyResult = Object.freeze({ blocked: false, assessment: undefined });

export function groundingPolicyAssessment(
  filters: readonly GuardrailContextualGroundingFilterConfig[],
  scores: { readonly grounding: number; readonly relevance: number },
): GroundingPolicyResult {
  if (filters.length === 0) return NOT_BLOCKED;
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
