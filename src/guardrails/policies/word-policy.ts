// wordPolicyConfig: custom words and phrases plus the PROFANITY managed list, found case-insensitively as whole
// words (Aho–Corasick, one pass for any number of words). Each distinct word found is reported once, as it
// appears in the text.
import type { GuardrailWordPolicyConfig } from "../../core/control-plane-shapes.generated.js";
import type { GuardrailCustomWord, GuardrailManagedWord, GuardrailWordPolicyAssessment } from "../../core/shapes.generated.js";
import { settingFor, type GuardrailManagedWordsConfig, type GuardrailSource, type GuardrailWordConfig } from "../guardrail-definition.js";
import { PROFANITY } from "../lexicons/profanity.js";
import { PhraseMatcher } from "../text/phrase-matcher.js";
import { blockAction } from "./actions.js";

type WordEntry =
  | { readonly kind: "custom"; readonly config: GuardrailWordConfig }
  | { readonly kind: "managed"; readonly config: GuardrailManagedWordsConfig };

export interface CompiledWordPolicy {
  readonly matcher: PhraseMatcher<WordEntry>;
  /** Whether any entry runs for a source (otherwise the policy is not evaluated there, nor billed). */
  readonly enabled: Readonly<Record<GuardrailSource, boolean>>;
}

export function compileWordPolicy(config: GuardrailWordPolicyConfig | undefined): CompiledWordPolicy | undefined {
  if (!config) return undefined;
  const entries: WordEntry[] = [];
  const phrases: [string, WordEntry][] = [];
  for (const word of config.wordsConfig ?? []) {
    const entry: WordEntry = { kind: "custom", config: word };
    entries.push(entry);
    phrases.push([word.text, entry]);
  }
  for (const list of config.managedWordListsConfig ?? []) {
    const entry: WordEntry = { kind: "managed", config: list };
    entries.push(entry);
    if (list.type === "PROFANITY") for (const w of PROFANITY) phrases.push([w, entry]);
  }
  if (!entries.length) return undefined;
  const anyEnabled = (source: GuardrailSource) => entries.some((e) => settingFor(e.config, source, "BLOCK").enabled);
  return { matcher: new PhraseMatcher(phrases), enabled: { INPUT: anyEnabled("INPUT"), OUTPUT: anyEnabled("OUTPUT") } };
}

export interface WordPolicyResult {
  readonly evaluated: boolean;
  readonly blocked: boolean;
  readonly assessment?: GuardrailWordPolicyAssessment;
}

const NOT_EVALUATED: WordPolicyResult = Object.freeze({ evaluated: false, blocked: false });
const EVALUATED_NOTHING_FOUND: WordPolicyResult = Object.freeze({ evaluated: true, blocked: false, assessment: undefined });

export function evaluateWordPolicy(policy: CompiledWordPolicy | undefined, texts: readonly string[], source: GuardrailSource): WordPolicyResult {
  if (!policy?.enabled[source]) return NOT_EVALUATED;
  // Made at the first hit: most texts have none.
  let customWords: GuardrailCustomWord[] | undefined;
  let managedWordLists: GuardrailManagedWord[] | undefined;
  let seen: Set<string> | undefined;
  let blocked = false;
  for (const text of texts) {
    const hits = policy.matcher.find(text);
    if (hits.length === 0) continue;
    customWords ??= [];
    managedWordLists ??= [];
    seen ??= new Set<string>();
    for (const hit of hits) {
      const setting = settingFor(hit.value.config, source, "BLOCK");
      if (!setting.enabled) continue;
      const match = text.slice(hit.start, hit.end);
      const key = `${hit.value.kind}:${match.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const action = blockAction(setting.action);
      if (action === "BLOCKED") blocked = true;
      if (hit.value.kind === "custom") customWords.push({ match, action, detected: true });
      else managedWordLists.push({ match, type: hit.value.config.type, action, detected: true });
    }
  }
  if (!customWords?.length && !managedWordLists?.length) return EVALUATED_NOTHING_FOUND;
  return { evaluated: true, blocked, assessment: { customWords: customWords ?? [], managedWordLists: managedWordLists ?? [] } };
}
