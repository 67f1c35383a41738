// Scores (0–1) and the four confidence levels of the service model, both ways, and the filter-strength rule:
// a filter of strength HIGH acts from LOW confidence up, MEDIUM from MEDIUM, LOW only on HIGH, NONE never.
export type Confidence = "NONE" | "LOW" | "MEDIUM" | "HIGH";

const RANK: Readonly<Record<Confidence, number>> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/** ≥ 0.75 HIGH, ≥ 0.5 MEDIUM, ≥ 0.25 LOW, else NONE. */
export function confidenceOf(score: number): Confidence {
  if (score >= 0.75) return "HIGH";
  if (score >= 0.5) return "MEDIUM";
  if (score >= 0.25) return "LOW";
  return "NONE";
}

/** A representative score for a level (what the built-in classifier reports): inverse of confidenceOf. */
export const SCORE_OF: Readonly<Record<Confidence, number>> = { NONE: 0, LOW: 0.35, MEDIUM: 0.6, HIGH: 0.9 };

export function strongerConfidence(a: Confidence, b: Confidence): Confidence {
  return RANK[a] >= RANK[b] ? a : b;
}

export function raiseConfidence(c: Confidence): Confidence {
  return c === "LOW" ? "MEDIUM" : c === "MEDIUM" ? "HIGH" : c;
}

/** Whether a filter of this strength acts on content classified with this confidence. */
export function filterDetects(strength: Confidence, confidence: Confidence): boolean {
  return RANK[strength] > 0 && RANK[confidence] > 0 && RANK[confidence] + RANK[strength] >= 4;
}

/** A topic counts as present from this score up. */
export const TOPIC_THRESHOLD = 0.5;
