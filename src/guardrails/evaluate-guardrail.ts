// The guardrail engine: one guardrail version applied to content blocks from one source, answering with the
// members of ApplyGuardrail's response. Every path (ApplyGuardrail, Converse/ConverseStream guardrailConfig,
// InvokeModel guardrail headers) calls this one function.
//
// Which text is guarded: text blocks without qualifiers or with `guard_content`; `grounding_source` and `query`
// blocks are references for contextual grounding only. Images are counted (and guarded when a content filter
// lists IMAGE for the source) but neither classifier looks inside them.
import type {
  GuardrailAction, GuardrailAssessment, GuardrailContentBlock, GuardrailCoverage, GuardrailOutputContent,
  GuardrailOutputScope, GuardrailUsage,
} from "../core/shapes.generated.js";
import type { ClassifyResult, GuardrailClassifier } from "./classifier/classifier.js";
import type { CompiledGuardrail } from "./compile-guardrail.js";
import type { GuardrailSource } from "./guardrail-definition.js";
import { activeContentFilters, contentCategoriesToClassify, contentPolicyAssessment } from "./policies/content-policy.js";
import { activeGroundingFilters, groundingPolicyAssessment } from "./policies/contextual-grounding-policy.js";
import { evaluateSensitiveInformationPolicy } from "./policies/sensitive-information-policy.js";
import { activeTopics, topicPolicyAssessment, topicSpecs } from "./policies/topic-policy.js";
import { evaluateWordPolicy } from "./policies/word-policy.js";

export interface EvaluateOptions {
  readonly source: GuardrailSource;
  /** FULL also reports filters and topics that were evaluated but not detected. */
  readonly outputScope?: GuardrailOutputScope;
  readonly classifier: GuardrailClassifier;
}

export interface GuardrailEvaluation {
  readonly action: GuardrailAction;
  /** "Guardrail blocked.", "Guardrail masked." or "No action.", as Bedrock words it. */
  readonly actionReason: string;
  /** Whether a BLOCK action fired (as opposed to only masking). */
  readonly blocked: boolean;
  /** Blocked: the configured blocked messaging; masked: each guarded text masked; otherwise empty. */
  readonly outputs: GuardrailOutputContent[];
  /** One assessment, with invocationMetrics. */
  readonly assessment: GuardrailAssessment;
  readonly usage: GuardrailUsage;
  readonly coverage: GuardrailCoverage;
  /** Per content block: its text after masking (undefined for non-text or unguarded blocks). */
  readonly maskedBlocks: readonly (string | undefined)[];
}

export const ACTION_REASONS = { blocked: "Guardrail blocked.", masked: "Guardrail masked.", none: "No action." } as const;

/** Bedrock bills guardrails in text units of up to 1,000 characters. */
export const textUnits = (characters: number): number => Math.ceil(characters / 1000);

const qualifiersOf = (block: GuardrailContentBlock): readonly string[] =>
  "text" in block ? block.text.qualifiers ?? [] : [];

// Nothing to classify: no scores. Frozen, as every such evaluation shares it.
const NO_SCORES: ClassifyResult = Object.freeze({ categories: Object.freeze({}), topics: Object.freeze({}) });

export async function evaluateGuardrail(
  guardrail: CompiledGuardrail,
  content: readonly GuardrailContentBlock[],
  options: EvaluateOptions,
): Promise<GuardrailEvaluation> {
  const started = Date.now();
  const { source } = options;
  const def = guardrail.definition;
  const full = options.outputScope === "FULL";

  const guardedIdx: number[] = [];
  const groundingSources: string[] = [];
  const queries: string[] = [];
  let totalChars = 0;
  let images = 0;
  content.forEach((block, i) => {
    if (!("text" in block)) {
      if ("image" in block) images++;
      return;
    }
    totalChars += block.text.text.length;
    const q = qualifiersOf(block);
    if (q.includes("grounding_source")) groundingSources.push(block.text.text);
    else if (q.includes("query")) queries.push(block.text.text);
    else guardedIdx.push(i);
  });
  const texts = guardedIdx.map((i) => (content[i] as { text: { text: string } }).text.text);
  const guardedChars = texts.reduce((n, t) => n + t.length, 0);

  const words = evaluateWordPolicy(guardrail.words, texts, source);
  const sensitive = evaluateSensitiveInformationPolicy(guardrail.sensitiveInformation, texts, source);

  const filters = activeContentFilters(def.contentPolicyConfig, source);
  const topics = activeTopics(def.topicPolicyConfig, source);
  const grounding = activeGroundingFilters(def.contextualGroundingPolicyConfig, source, {
    source: groundingSources.length > 0, query: queries.length > 0,
  });
  const categories = contentCategoriesToClassify(filters);
  let scores: ClassifyResult = NO_SCORES;
  const joined = categories.length || topics.length || grounding.length ? texts.join("\n\n") : "";
  if ((categories.length || topics.length || grounding.length) && (joined.length > 0 || grounding.length)) {
    scores = await options.classifier.classify({
      text: joined,
      categories: joined.length ? categories : [],
      topics: joined.length ? topicSpecs(topics) : [],
      grounding: grounding.length ? { source: groundingSources.join("\n\n"), query: queries.join("\n\n") } : undefined,
    });
  }
  const contentResult = contentPolicyAssessment(filters, scores.categories, full);
  const topicResult = topicPolicyAssessment(topics, scores.topics, full);
  const groundingResult = groundingPolicyAssessment(grounding, scores.grounding ?? { grounding: 0, relevance: 0 });

  const blocked = words.blocked || sensitive.blocked || contentResult.blocked || topicResult.blocked || groundingResult.blocked;
  const masked = !blocked && sensitive.anonymized;
  const action: GuardrailAction = blocked || sensitive.anonymized ? "GUARDRAIL_INTERVENED" : "NONE";

  const units = textUnits(guardedChars);
  const imageGuarded = filters.some((f) => f.image) ? images : 0;
  const usage: GuardrailUsage = {
    topicPolicyUnits: topics.length ? units : 0,
    contentPolicyUnits: categories.length ? units : 0,
    wordPolicyUnits: words.evaluated ? units : 0,
    sensitiveInformationPolicyUnits: sensitive.evaluatedPii ? units : 0,
    sensitiveInformationPolicyFreeUnits: sensitive.evaluatedRegexes ? units : 0,
    contextualGroundingPolicyUnits: grounding.length ? units : 0,
    contentPolicyImageUnits: imageGuarded,
  };
  const coverage: GuardrailCoverage = { textCharacters: { guarded: guardedChars, total: totalChars } };
  if (images) coverage.images = { guarded: imageGuarded, total: images };

  const assessment: GuardrailAssessment = {};
  if (topicResult.assessment) assessment.topicPolicy = topicResult.assessment;
  if (contentResult.assessment) assessment.contentPolicy = contentResult.assessment;
  if (words.assessment) assessment.wordPolicy = words.assessment;
  if (sensitive.assessment) assessment.sensitiveInformationPolicy = sensitive.assessment;
  if (groundingResult.assessment) assessment.contextualGroundingPolicy = groundingResult.assessment;
  assessment.invocationMetrics = { guardrailProcessingLatency: Date.now() - started, usage, guardrailCoverage: coverage };

  const maskedBlocks: (string | undefined)[] = content.map(() => undefined);
  guardedIdx.forEach((blockIndex, k) => (maskedBlocks[blockIndex] = sensitive.masked[k]));
  const outputs: GuardrailOutputContent[] = blocked
    ? [{ text: source === "INPUT" ? def.blockedInputMessaging : def.blockedOutputsMessaging }]
    : masked ? sensitive.masked.map((text) => ({ text })) : [];

  return {
    action,
    actionReason: blocked ? ACTION_REASONS.blocked : masked ? ACTION_REASONS.masked : ACTION_REASONS.none,
    blocked,
    outputs,
    assessment,
    usage,
    coverage,
    maskedBlocks,
  };
}
