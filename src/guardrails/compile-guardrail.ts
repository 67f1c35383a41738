// A guardrail definition made ready to run: matchers and regexes built once per version (never per request),
// and, per source, which filters and topics the classifier is asked about.
import type { ContentCategory, TopicSpec } from "./classifier/classifier.js";
import type { GuardrailContextualGroundingFilterConfig, GuardrailDefinition, GuardrailSource } from "./guardrail-definition.js";
import { activeContentFilters, contentCategoriesToClassify, type ActiveContentFilter } from "./policies/content-policy.js";
import { configuredGroundingFilters } from "./policies/contextual-grounding-policy.js";
import { compileSensitiveInformationPolicy, type CompiledSensitiveInformationPolicy } from "./policies/sensitive-information-policy.js";
import { activeTopics, topicSpecs, type ActiveTopic } from "./policies/topic-policy.js";
import { compileWordPolicy, type CompiledWordPolicy } from "./policies/word-policy.js";

/** What one source (INPUT or OUTPUT) of a guardrail asks of the classifier: fixed by the definition. */
export interface ClassifiedPolicies {
  readonly filters: readonly ActiveContentFilter[];
  /** The content filters' categories looked for in text. */
  readonly categories: readonly ContentCategory[];
  readonly topics: readonly ActiveTopic[];
  readonly topicSpecs: readonly TopicSpec[];
  /** Enabled grounding filters (OUTPUT only); each applies when its reference (source or query) is present. */
  readonly grounding: readonly GuardrailContextualGroundingFilterConfig[];
}

export interface CompiledGuardrail {
  readonly definition: GuardrailDefinition;
  readonly words?: CompiledWordPolicy;
  readonly sensitiveInformation?: CompiledSensitiveInformationPolicy;
  readonly classified: Readonly<Record<GuardrailSource, ClassifiedPolicies>>;
}

function classifiedPolicies(definition: GuardrailDefinition, source: GuardrailSource): ClassifiedPolicies {
  const filters = activeContentFilters(definition.contentPolicyConfig, source);
  const topics = activeTopics(definition.topicPolicyConfig, source);
  // Shared by every evaluation (and handed to the classifier): frozen, so nothing can change them for the next.
  return Object.freeze({
    filters: Object.freeze(filters),
    categories: Object.freeze(contentCategoriesToClassify(filters)),
    topics: Object.freeze(topics),
    topicSpecs: Object.freeze(topicSpecs(topics)),
    grounding: configuredGroundingFilters(definition.contextualGroundingPolicyConfig, source),
  });
}

export function compileGuardrail(definition: GuardrailDefinition): CompiledGuardrail {
  return {
    definition,
    words: compileWordPolicy(definition.wordPolicyConfig),
    sensitiveInformation: compileSensitiveInformationPolicy(definition.sensitiveInformationPolicyConfig),
    classified: { INPUT: classifiedPolicies(definition, "INPUT"), OUTPUT: classifiedPolicies(definition, "OUTPUT") },
  };
}
