// The built-in classifier: deterministic, documented rules a test author can predict.
// - Content categories: lexicon phrases (lexicons/content-lexicons.ts) found as whole words, case-insensitively.
//   A category's confidence is its strongest hit, one level higher when 3+ different phrases hit.
//   PROMPT_ATTACK is the strongest of JAILBREAK, PROMPT_INJECTION and PROMPT_LEAKAGE.
// - Topics, per sentence of the text, on content-word stems (text/content-words.ts); a topic scores 1 when its
//   name's words all appear; an example scores hits/size when at least min(2, size) of its words appear;
//   the definition scores hits/sentence-size when at least 2 of its words appear. Topic score = best of these.
// - Grounding = share of the response's content words found in the grounding source; relevance = share of
//   the query's content words found in the response (1 when the query has none).
import { CONTENT_LEXICONS, type LexiconCategory } from "../lexicons/content-lexicons.js";
import { contentStems, sentences } from "../text/content-words.js";
import { PhraseMatcher } from "../text/phrase-matcher.js";
import type { ClassifyRequest, ClassifyResult, ContentCategory, GuardrailClassifier, TopicSpec } from "./classifier.js";
import { raiseConfidence, SCORE_OF, strongerConfidence, type Confidence } from "./confidence.js";

interface LexiconHit { category: LexiconCategory; confidence: Confidence; phrase: string }

const LEXICON = new PhraseMatcher<LexiconHit>(
  Object.entries(CONTENT_LEXICONS).flatMap(([category, levels]) =>
    Object.entries(levels).flatMap(([confidence, phrases]) =>
      (phrases as readonly string[]).map((phrase) => [phrase, { category, confidence, phrase } as LexiconHit] as const))),
);

const PROMPT_ATTACK_PARTS: readonly LexiconCategory[] = ["JAILBREAK", "PROMPT_INJECTION", "PROMPT_LEAKAGE"];

/** Confidence per lexicon category for a text. */
export function lexiconConfidences(text: string): Record<LexiconCategory, Confidence> {
  const best = {} as Record<LexiconCategory, Confidence>;
  const distinct = new Map<LexiconCategory, Set<string>>();
  for (const hit of LEXICON.find(text)) {
    const { category, confidence, phrase } = hit.value;
    best[category] = strongerConfidence(best[category] ?? "NONE", confidence);
    let set = distinct.get(category);
    if (!set) distinct.set(category, (set = new Set()));
    set.add(phrase);
  }
  for (const [category, set] of distinct) if (set.size >= 3) best[category] = raiseConfidence(best[category]);
  for (const category of Object.keys(CONTENT_LEXICONS) as LexiconCategory[]) best[category] ??= "NONE";
  return best;
}

interface CompiledTopic { name: Set<string>; definition: Set<string>; examples: Set<string>[] }
const compiledTopics = new WeakMap<TopicSpec, CompiledTopic>();

function compileTopic(topic: TopicSpec): CompiledTopic {
  let c = compiledTopics.get(topic);
  if (!c) {
    c = {
      name: new Set(contentStems(topic.name)),
      definition: new Set(contentStems(topic.definition)),
      examples: (topic.examples ?? []).map((e) => new Set(contentStems(e))).filter((s) => s.size > 0),
    };
    compiledTopics.set(topic, c);
  }
  return c;
}

const countIn = (words: Set<string>, sentence: Set<string>) => {
  let n = 0;
  for (const w of words) if (sentence.has(w)) n++;
  return n;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

export function topicScore(topic: TopicSpec, sentenceStems: readonly Set<string>[]): number {
  const t = compileTopic(topic);
  let best = 0;
  for (const s of sentenceStems) {
    if (s.size === 0) continue;
    if (t.name.size > 0 && countIn(t.name, s) === t.name.size) return 1;
    for (const example of t.examples) {
      const hits = countIn(example, s);
      if (hits >= Math.min(2, example.size)) best = Math.max(best, hits / example.size);
    }
    const defHits = countIn(t.definition, s);
    if (defHits >= 2) best = Math.max(best, defHits / s.size);
  }
  return round2(Math.min(1, best));
}

export function lexicalGrounding(response: string, source: string, query: string): { grounding: number; relevance: number } {
  const r = new Set(contentStems(response));
  const g = new Set(contentStems(source));
  const q = new Set(contentStems(query));
  return {
    grounding: r.size === 0 ? 1 : round2(countIn(r, g) / r.size),
    relevance: q.size === 0 ? 1 : round2(countIn(q, r) / q.size),
  };
}

export const builtinClassifier: GuardrailClassifier = {
  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    const categories: Partial<Record<ContentCategory, number>> = {};
    if (request.categories.length) {
      const conf = lexiconConfidences(request.text);
      for (const c of request.categories) {
        const level = c === "PROMPT_ATTACK"
          ? PROMPT_ATTACK_PARTS.map((p) => conf[p]).reduce(strongerConfidence, "NONE" as Confidence)
          : conf[c];
        categories[c] = SCORE_OF[level];
      }
    }
    const topics: Record<string, number> = {};
    if (request.topics.length) {
      const stems = sentences(request.text).map((s) => new Set(contentStems(s)));
      for (const topic of request.topics) topics[topic.name] = topicScore(topic, stems);
    }
    const grounding = request.grounding
      ? lexicalGrounding(request.text, request.grounding.source, request.grounding.query)
      : undefined;
    return { categories, topics, grounding };
  },
};
