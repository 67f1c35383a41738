// Content words of a text as comparable stems: the unit of the built-in topic classifier and of the lexical
// grounding score. Deterministic and language-light on purpose (English stopwords, a small suffix stripper):
// the goal is a classifier whose every decision a test author can predict, not linguistic accuracy.

const STOPWORDS = new Set(
  ("a about above after again against all also am an and any are as at be because been before being below " +
   "between both but by can could did do does doing down during each few for from further get got had has have " +
   "having he her here hers herself him himself his how i if in into is it its itself just let me more most my " +
   "myself no nor not now of off on once only or other our ours ourselves out over own please same she should so " +
   "some such tell than that the their theirs them themselves then there these they this those through to too " +
   "under until up very want was we were what when where which while who whom why will with would you your yours " +
   "yourself yourselves i'm im it's its don't dont can't cant give go going make need know like may might must " +
   "shall one us okay ok yes yeah hi hello hey thanks thank").split(" "),
);

// Letters and digits with an optional inner apostrophe: no nested or overlapping repetition, so linear.
const WORD = /[\p{L}\p{N}]+(?:'\p{L}+)?/gu;

/** Strips common English suffixes so that invest / investing / investment / investments compare equal. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$|'$/, "");
  if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (w.length > 4 && w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  for (const suffix of ["ments", "ment", "ings", "ing", "ations", "ation", "edly", "ed", "ly", "er"]) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      // running → run, stopped → stop
      const n = w.length;
      if (n >= 4 && w[n - 1] === w[n - 2] && !"aeiouls".includes(w[n - 1])) w = w.slice(0, -1);
      break;
    }
  }
  return w;
}

/** The stems of a text's content words (stopwords and one-letter words dropped), in order, duplicates kept. */
export function contentStems(text: string): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) {
    const lower = m[0].toLowerCase();
    if (lower.length < 2 || STOPWORDS.has(lower)) continue;
    out.push(stem(lower));
  }
  WORD.lastIndex = 0;
  return out;
}

/** Sentences (split at . ! ? and line breaks), for classifiers that judge a long text piece by piece. */
export function sentences(text: string): string[] {
  return text.split(/[.!?\n]+/).map((s) => s.trim()).filter((s) => s.length > 0);
}
