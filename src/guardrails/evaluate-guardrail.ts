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
import { contentPolicyAssessment } from "./policies/content-policy.js";
import { applicableGroundingFilters, groundingPolicyAssessment } from "./policies/contextual-grounding-policy.js";
import { evaluateSensitiveInformationPolicy } from "./policies/sensitive-information-policy.js";
import { topicPolicyAssessment } from "./policies/topic-policy.js";
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

// Nothing to classify: no scores. Frozen, as every such evaluation shares it.
const NO_SCORES: ClassifyResult = Object.freeze({ categories: Object.freeze({}), topics: Object.freeze({}) });
const NO_GROUNDING_SCORES = Object.freeze({ grounding: 0, relevance: 0 });
const NOTHING: readonly string[] = Object.freeze([]);

export async function evaluateGuardrail(
  guardrail: CompiledGuardrail,
  content: readonly GuardrailContentBlock[],
  options: EvaluateOptions,
): Promise<GuardrailEvaluation> {
  const started = Date.now();
  const { source } = options;
  const def = guardrail.definition;
  const full = options.outputScope === "FULL";

  // A plain loop: this runs twice per guarded call, and closures over the counters cost an allocation each.
  const guardedIdx: number[] = [];
  const texts: string[] = [];
  let groundingSources: string[] | undefined;
  let queries: string[] | undefined;
  let totalChars = 0;
  let guardedChars = 0;
  let images = 0;
  for (let i = 0; i < content.length; i++) {
    const block = content[i];
    if (!("text" in block)) {
      if ("image" in block) images++;
      continue;
    }
    const text = block.text.text;
    totalChars += text.length;
    const q = block.text.qualifiers ?? NOTHING;
    if (q.includes("grounding_source")) (groundingSources ??= []).push(text);
    else if (q.includes("query")) (queries ??= []).push(text);
    else {
      guardedIdx.push(i);
      texts.push(text);
      guardedChars += text.length;
    }
  }

  const words = evaluateWordPolicy(guardrail.words, texts, source);
  const sensitive = evaluateSensitiveInformationPolicy(guardrail.sensitiveInformation, texts, source);

  const { filters, categories, topics, topicSpecs } = guardrail.classified[source];
  const grounding = applicableGroundingFilters(guardrail.classified[source].grounding, {
    source: groundingSources !== undefined, query: queries !== undefined,
  });
  let scores: ClassifyResult = NO_SCORES;
  if (categories.length || topics.length || grounding.length) {
    const joined = texts.join("\n\n");
    if (joined.length > 0 || grounding.length) {
      scores = await options.classifier.classify({
        text: joined,
        categories: joined.length ? categories : [],
        topics: joined.length ? topicSpecs : [],
        grounding: grounding.length ? { source: (groundingSources ?? NOTHING).join("\n\n"), query: (queries ?? NOTHING).join("\n\n") } : undefined,
      });
    }
  }
  const contentResult = contentPolicyAssessment(filters, scores.categories, full);
  const topicResult = topicPolicyAssessment(topics, scores.topics, full);
  const groundingResult = groundingPolicyAssessment(grounding, scores.grounding ?? NO_GROUNDING_SCORES);

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

  const maskedBlocks: (string | undefined)[] = new Array<string | undefined>(content.length).fill(undefined);
  for (let k = 0; k < guardedIdx.length; k++) maskedBlocks[guardedIdx[k]] = sensitive.masked[k];
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
