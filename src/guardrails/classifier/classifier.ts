// What topic, content-filter and grounding policies ask of a classifier. Two implementations: the built-in
// deterministic one (lexicons, example overlap, lexical grounding) and a served model acting as a judge.

/** Content-filter categories (PROMPT_ATTACK) and InvokeGuardrailChecks' prompt-attack sub-categories. */
export type ContentCategory =
  | "HATE" | "INSULTS" | "SEXUAL" | "VIOLENCE" | "MISCONDUCT" | "PROMPT_ATTACK"
  | "JAILBREAK" | "PROMPT_INJECTION" | "PROMPT_LEAKAGE";

export interface TopicSpec {
  readonly name: string;
  readonly definition: string;
  readonly examples?: readonly string[];
}

export interface ClassifyRequest {
  readonly text: string;
  readonly categories: readonly ContentCategory[];
  readonly topics: readonly TopicSpec[];
  /** Present when grounding is to be scored: the reference text and, for relevance, the user's query. */
  readonly grounding?: { readonly source: string; readonly query: string };
}

export interface ClassifyResult {
  /** 0–1 per requested category; a missing category means 0. */
  readonly categories: Partial<Record<ContentCategory, number>>;
  /** 0–1 per requested topic name. */
  readonly topics: Readonly<Record<string, number>>;
  /** 0–1 each, when grounding was requested. */
  readonly grounding?: { readonly grounding: number; readonly relevance: number };
}

export interface GuardrailClassifier {
  classify(request: ClassifyRequest): Promise<ClassifyResult>;
}
