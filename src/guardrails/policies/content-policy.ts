// contentPolicyConfig: HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT and PROMPT_ATTACK filters. The classifier
// scores each category; the score's confidence (classifier/confidence.ts) and the filter's strength for this
// source decide whether it is detected; the filter's action decides whether detection blocks. PROMPT_ATTACK
// applies to input only (its outputStrength must be NONE).
import type { GuardrailContentPolicyConfig } from "../../core/control-plane-shapes.generated.js";
import type { GuardrailContentFilter, GuardrailContentPolicyAssessment } from "../../core/shapes.generated.js";
import type { ContentCategory } from "../classifier/classifier.js";
import { confidenceOf, filterDetects, type Confidence } from "../classifier/confidence.js";
import { settingFor, type GuardrailContentFilterConfig, type GuardrailSource } from "../guardrail-definition.js";
import { blockAction } from "./actions.js";

export interface ActiveContentFilter {
  readonly type: GuardrailContentFilterConfig["type"];
  readonly strength: Confidence;
  readonly action: string;
  /** Whether the filter looks at text / at images for this source (modalities default to TEXT). */
  readonly text: boolean;
  readonly image: boolean;
}

export function activeContentFilters(config: GuardrailContentPolicyConfig | undefined, source: GuardrailSource): ActiveContentFilter[] {
  const active: ActiveContentFilter[] = [];
  for (const f of config?.filtersConfig ?? []) {
    const setting = settingFor(f, source, "BLOCK");
    const strength = source === "INPUT" ? f.inputStrength : f.outputStrength;
    if (!setting.enabled || strength === "NONE" || (f.type === "PROMPT_ATTACK" && source === "OUTPUT")) continue;
    const modalities: readonly string[] = (source === "INPUT" ? f.inputModalities : f.outputModalities) ?? ["TEXT"];
    active.push({ type: f.type, strength, action: setting.action, text: modalities.includes("TEXT"), image: modalities.includes("IMAGE") });
  }
  return active;
}

export function contentCategoriesToClassify(filters: readonly ActiveContentFilter[]): ContentCategory[] {
  return filters.filter((f) => f.text).map((f) => f.type);
}

export interface ContentPolicyResult { readonly blocked: boolean; readonly assessment?: GuardrailContentPolicyAssessment }

const NOT_BLOCKED: ContentPolicyResult = Object.freeze({ blocked: false, assessment: undefined });

export function contentPolicyAssessment(
  filters: readonly ActiveContentFilter[],
  scores: Partial<Record<ContentCategory, number>>,
  full: boolean,
): ContentPolicyResult {
  if (filters.length === 0) return NOT_BLOCKED;
  const entries: GuardrailContentFilter[] = [];
  let blocked = false;
  for (const f of filters) {
    const confidence = confidenceOf(f.text ? scores[f.type] ?? 0 : 0);
    const detected = filterDetects(f.strength, confidence);
    if (!detected && !full) continue;
    const action = detected ? blockAction(f.action) : "NONE";
    if (action === "BLOCKED") blocked = true;
    entries.push({ type: f.type, confidence, filterStrength: f.strength, action, detected });
  }
  return { blocked, assessment: entries.length ? { filters: entries } : undefined };
}
