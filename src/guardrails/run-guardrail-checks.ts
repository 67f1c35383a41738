// InvokeGuardrailChecks (DIGEST §10.2): inline checks over messages, no stored guardrail. Content-filter and
// prompt-attack categories get a severity score (0–1) from the classifier — one classification over all the
// messages' text — and sensitive information is reported entity by entity with its message, block and offsets
// (end offset exclusive). Usage: text units of 1,000 characters of all messages, per check.
import type {
  GuardrailChecksSensitiveInformationResultEntry, InvokeGuardrailChecksRequest, InvokeGuardrailChecksResponse,
} from "../core/shapes.generated.js";
import type { ContentCategory, GuardrailClassifier } from "./classifier/classifier.js";
import { textUnits } from "./evaluate-guardrail.js";
import { findPiiCapped, MAX_FINDINGS } from "./pii/find-pii.js";

/** At most this many entities are listed; beyond it `truncated` is true. */
export const MAX_SENSITIVE_RESULTS = MAX_FINDINGS;

export async function runGuardrailChecks(
  request: InvokeGuardrailChecksRequest,
  classifier: GuardrailClassifier,
): Promise<InvokeGuardrailChecksResponse> {
  const { checks, messages } = request;
  const texts = messages.map((m) => m.content.map((block) => ("text" in block ? block.text : "")));
  const characters = texts.flat().reduce((n, t) => n + t.length, 0);
  const units = { textUnits: textUnits(characters) };

  const filterCategories = (checks.contentFilter?.categories ?? []).map((c) => c.category as ContentCategory);
  const attackCategories = (checks.promptAttack?.categories ?? []).map((c) => c.category as ContentCategory);
  const categories = [...new Set([...filterCategories, ...attackCategories])];
  const scores = categories.length
    ? (await classifier.classify({ text: texts.flat().join("\n\n"), categories, topics: [] })).categories
    : {};
  const score = (c: ContentCategory) => scores[c] ?? 0;

  const response: InvokeGuardrailChecksResponse = { results: {}, usage: {} };
  if (checks.contentFilter) {
    response.results.contentFilter = {
      results: checks.contentFilter.categories.map((c) => ({ category: c.category, severityScore: score(c.category) })),
    };
    response.usage.contentFilter = units;
  }
  if (checks.promptAttack) {
    response.results.promptAttack = {
      results: checks.promptAttack.categories.map((c) => ({ category: c.category, severityScore: score(c.category) })),
    };
    response.usage.promptAttack = units;
  }
  if (checks.sensitiveInformation) {
    const types = new Set(checks.sensitiveInformation.entities.map((e) => e.type));
    const results: GuardrailChecksSensitiveInformationResultEntry[] = [];
    let truncated = false;
    texts.forEach((blocks, messageIndex) => blocks.forEach((text, contentIndex) => {
      const found = findPiiCapped(text, types);
      if (found.truncated) truncated = true;
      for (const f of found.findings) {
        if (results.length >= MAX_SENSITIVE_RESULTS) {
          truncated = true;
          return;
        }
        results.push({ type: f.type, confidenceScore: f.confidence, beginOffset: f.start, endOffset: f.end, messageIndex, contentIndex });
      }
    }));
    response.results.sensitiveInformation = { results, truncated };
    response.usage.sensitiveInformation = units;
  }
  return response;
}
