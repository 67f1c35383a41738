// Finds many words and phrases in a text at once, case-insensitively and on word boundaries (Aho–Corasick):
// one pass over the text whatever the number of phrases, so a 10,000-word custom list costs the same per
// character as one word. Built once per guardrail version, never per request.

/** One hit: which phrase, where (UTF-16 offsets into the original text, end exclusive). */
export interface PhraseHit<T> { readonly value: T; readonly start: number; readonly end: number }

interface Node<T> {
  next: Map<number, Node<T>>;
  fail: Node<T> | undefined;
  /** Phrases ending here: their length in code units and their value. */
  out: { length: number; value: T }[];
  /** Nearest node down the fail chain that has outputs (so a hit costs no walk over empty nodes). */
  outLink: Node<T> | undefined;
}

const newNode = <T>(): Node<T> => ({ next: new Map(), fail: undefined, out: [], outLink: undefined });

/** Case-folds one UTF-16 code unit, keeping offsets one to one (folds that change length are left alone). */
export function foldCode(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code < 128) return code;
  const lower = String.fromCharCode(code).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : code;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const wordCache = new Map<number, boolean>();
/** Letters, digits, marks and `_` — what a word boundary separates. */
export function isWordCode(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  let known = wordCache.get(code);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCharCode(code));
    if (wordCache.size < 4096) wordCache.set(code, known);
  }
  return known;
}

/** Collapses runs of whitespace so that "bad  word" in a list matches "bad word" in a text and vice versa. */
const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 160;

const MAX_KEPT_STARTS = 64 * 1024;

export class PhraseMatcher<T> {
  private readonly root = newNode<T>();
  private size = 0;
  /** find()'s scratch (see there); dropped after a very long text so it does not stay that large. */
  private starts: number[] = [];

  constructor(phrases: Iterable<readonly [phrase: string, value: T]>) {
    for (const [phrase, value] of phrases) this.add(phrase, value);
    this.link();
  }

  get phraseCount(): number {
    return this.size;
  }

  private add(phrase: string, value: T): void {
    const trimmed = phrase.trim();
    if (!trimmed) return;
    let node = this.root;
    let length = 0;
    let lastSpace = false;
    for (let i = 0; i < trimmed.length; i++) {
      let code = trimmed.charCodeAt(i);
      if (isSpace(code)) {
        if (lastSpace) continue;
        lastSpace = true;
        code = 32;
      } else {
        lastSpace = false;
        code = foldCode(code);
      }
      let child = node.next.get(code);
      if (!child) node.next.set(code, (child = newNode()));
      node = child;
      length++;
    }
    node.out.push({ length, value });
    this.size++;
  }

  private link(): void {
    const queue: Node<T>[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q];
      for (const [code, child] of node.next) {
        let f = node.fail;
        while (f && !f.next.has(code)) f = f.fail;
        child.fail = f ? f.next.get(code)! : this.root;
        child.outLink = child.fail.out.length ? child.fail : child.fail.outLink;
        queue.push(child);
      }
    }
  }

  /**
   * Every occurrence whose both ends sit on word boundaries (a phrase edge that is itself punctuation needs no
   * boundary). Whitespace runs in the text match one space in a phrase. Overlapping hits are all reported.
   */
  find(text: string): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    if (this.size === 0) return hits;
    // starts[k] = text offset of the k-th folded unit, so that a hit's length in folded units maps back. One
    // array per matcher, reused by each (synchronous) search: a new one per text grew by copying, the
    // largest allocation of a guardrail's word check.
    const starts = this.starts;
    let count = 0;
    let node = this.root;
    let prevSpace = true; // the text start behaves like a boundary; leading blanks are skipped
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (isSpace(code)) {
        if (prevSpace) continue;
        prevSpace = true;
        code = 32;
      } else {
        prevSpace = false;
        code = foldCode(code);
      }
      if (count < starts.length) starts[count] = i;
      else starts.push(i);
      count++;
      while (node !== this.root && !node.next.has(code)) node = node.fail!;
      node = node.next.get(code) ?? this.root;
      for (let n: Node<T> | undefined = node.out.length ? node : node.outLink; n; n = n.outLink) {
        for (const o of n.out) {
          const start = starts[count - o.length];
          const end = i + 1;
          if (this.onBoundaries(text, start, end)) hits.push({ value: o.value, start, end });
        }
      }
    }
    if (starts.length > MAX_KEPT_STARTS) this.starts = [];
    return hits;
  }

  private onBoundaries(text: string, start: number, end: number): boolean {
    const first = text.charCodeAt(start);
    const last = text.charCodeAt(end - 1);
    if (isWordCode(first) && start > 0 && isWordCode(text.charCodeAt(start - 1))) return false;
    if (isWordCode(last) && end < text.length && isWordCode(text.charCodeAt(end))) return false;
    return true;
  }
}
