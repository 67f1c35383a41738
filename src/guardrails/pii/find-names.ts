// NAME: a person's name without its title (as Bedrock describes the entity). Found three ways, all
// deterministic: a known given name written with a capital (plus up to two capitalised surnames after it); a
// title (Mr, Mrs, Ms, Miss, Dr, Prof) followed by capitalised words; "my name is / I am / I'm / call me" followed
// by capitalised words.
import { PhraseMatcher } from "../text/phrase-matcher.js";
import { SafeRegex } from "../text/safe-regex/safe-regex.js";
import { FIRST_NAMES } from "./first-names.js";

export interface Span { start: number; end: number }

const GIVEN = new PhraseMatcher(FIRST_NAMES.map((n) => [n, n] as const));
const CAPITALISED = "[A-Z][a-z'\\-]+";
const SURNAMES = new SafeRegex(`^(?: ${CAPITALISED}){1,2}`);
const AFTER_TITLE = new SafeRegex(`\\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\\.? (${CAPITALISED}(?: ${CAPITALISED}){0,2})`);
const INTRODUCED = new SafeRegex(`\\b(?:[Mm]y name is|[Nn]ame:|I am|I'm|[Cc]all me)[ \\t]+(${CAPITALISED}(?: ${CAPITALISED}){0,2})`);

export function findNames(text: string): Span[] {
  const spans: Span[] = [];
  for (const hit of GIVEN.find(text)) {
    const first = text.charCodeAt(hit.start);
    if (first < 65 || first > 90) continue; // "mark my words" is not a name; "Mark" is
    const rest = SURNAMES.exec(text.slice(hit.end, hit.end + 80));
    spans.push({ start: hit.start, end: hit.end + (rest ? rest.text.length : 0) });
  }
  for (const re of [AFTER_TITLE, INTRODUCED]) {
    for (const m of re.matches(text)) spans.push({ start: m.end - m.groups[0]!.length, end: m.end });
  }
  return spans;
}
