// A stored guardrail version as the control plane answers: GetGuardrail's members (the request's `…Config`
// members under their read names: topicsConfig → topics, filtersConfig → filters, …) and ListGuardrails'
// summaries. Timestamps are ISO 8601 (the model's timestampFormat for these shapes).
import type { GetGuardrailResponse, GuardrailSummary } from "../../../core/control-plane-shapes.generated.js";
import type { GuardrailVersionRecord } from "../../../guardrails/guardrail-definition.js";

const iso = (ms: number) => new Date(ms).toISOString();

export function getGuardrailResponse(r: GuardrailVersionRecord): GetGuardrailResponse {
  const d = r.definition;
  const out: GetGuardrailResponse = {
    name: d.name,
    guardrailId: r.id,
    guardrailArn: r.arn,
    version: r.version,
    status: r.status,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    blockedInputMessaging: d.blockedInputMessaging,
    blockedOutputsMessaging: d.blockedOutputsMessaging,
  };
  if (r.description !== undefined) out.description = r.description;
  if (d.topicPolicyConfig) {
    out.topicPolicy = { topics: d.topicPolicyConfig.topicsConfig };
    if (d.topicPolicyConfig.tierConfig) out.topicPolicy.tier = d.topicPolicyConfig.tierConfig;
  }
  if (d.contentPolicyConfig) {
    out.contentPolicy = { filters: d.contentPolicyConfig.filtersConfig };
    if (d.contentPolicyConfig.tierConfig) out.contentPolicy.tier = d.contentPolicyConfig.tierConfig;
  }
  if (d.wordPolicyConfig) {
    out.wordPolicy = {};
    if (d.wordPolicyConfig.wordsConfig) out.wordPolicy.words = d.wordPolicyConfig.wordsConfig;
    if (d.wordPolicyConfig.managedWordListsConfig) out.wordPolicy.managedWordLists = d.wordPolicyConfig.managedWordListsConfig;
  }
  if (d.sensitiveInformationPolicyConfig) {
    out.sensitiveInformationPolicy = {};
    if (d.sensitiveInformationPolicyConfig.piiEntitiesConfig) out.sensitiveInformationPolicy.piiEntities = d.sensitiveInformationPolicyConfig.piiEntitiesConfig;
    if (d.sensitiveInformationPolicyConfig.regexesConfig) out.sensitiveInformationPolicy.regexes = d.sensitiveInformationPolicyConfig.regexesConfig;
  }
  if (d.contextualGroundingPolicyConfig) out.contextualGroundingPolicy = { filters: d.contextualGroundingPolicyConfig.filtersConfig };
  if (d.automatedReasoningPolicyConfig) out.automatedReasoningPolicy = d.automatedReasoningPolicyConfig;
  if (d.crossRegionConfig) {
    const profile = d.crossRegionConfig.guardrailProfileIdentifier;
    out.crossRegionDetails = profile.startsWith("arn:")
      ? { guardrailProfileArn: profile, guardrailProfileId: profile.slice(profile.lastIndexOf("/") + 1) }
      : { guardrailProfileId: profile };
  }
  if (d.kmsKeyId?.startsWith("arn:")) out.kmsKeyArn = d.kmsKeyId;
  return out;
}

export function guardrailSummary(r: GuardrailVersionRecord): GuardrailSummary {
  const summary: GuardrailSummary = {
    id: r.id, arn: r.arn, status: r.status, name: r.definition.name, version: r.version,
    createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt),
  };
  if (r.description !== undefined) summary.description = r.description;
  return summary;
}
