// Where the first stop sequence begins in a reply, in time linear in the reply plus the sequences (an
// Aho-Corasick automaton), whatever the client sends: a sequence of indexOf calls costs the reply's length
// times the number of sequences, and crafted sequences ("aaa…ab" over "aaa…") make each call quadratic —
// 1,000 of them held the event loop for half a minute. Matching is on UTF-16 code units, like indexOf.

/** The automaton's size is bounded: sequences longer than the reply are skipped, the rest may total this. */
export const MAX_STOP_SEQUENCE_CHARS = 1_000_000;

export interface StopMatch {
  /** Index in the reply where the sequence begins. */
  index: number;
  sequence: string;
}

// Transitions live in one Map keyed by state * 2^16 + code unit (exact in a double for any state count
// this bound allows), far smaller than a Map per state.
const CODE_UNITS = 0x10000;

/**
 * The earliest occurrence of any sequence that begins before `before` (default: anywhere); on a tie at one
 * index, the longest sequence. Undefined when none occurs. Throws a RangeError past MAX_STOP_SEQUENCE_CHARS.
 */
export function findStopSequence(text: string, sequences: readonly string[], before = text.length): StopMatch | undefined {
  const usable = [...new Set(sequences)].filter((s) => s.length > 0 && s.length <= text.length);
  if (usable.length === 0) return undefined;
  let total = 0;
  for (const s of usable) total += s.length;
  if (total > MAX_STOP_SEQUENCE_CHARS) throw new RangeError(`stop sequences total ${total} characters`);

  // The trie: state 0 is the root; parent and code unit of each state, in creation order.
  const next = new Map<number, number>();
  const parent = new Int32Array(total + 1);
  const unit = new Uint16Array(total + 1);
  const depth = new Int32Array(total + 1);
  const own = new Int32Array(total + 1); // 1 + index in `usable` of the sequence ending here, or 0
  let states = 1;
  let maxLength = 0;
  usable.forEach((s, k) => {
    let state = 0;
    for (let i = 0; i < s.length; i++) {
      const key = state * CODE_UNITS + s.charCodeAt(i);
      let to = next.get(key);
      if (to === undefined) {
        to = states++;
        next.set(key, to);
        parent[to] = state;
        unit[to] = s.charCodeAt(i);
        depth[to] = i + 1;
      }
      state = to;
    }
    own[state] = k + 1;
    if (s.length > maxLength) maxLength = s.length;
  });

  // Failure links in breadth-first order (states sorted by depth), and for each state the longest sequence
  // that ends there: its own, or its failure state's.
  const order = byDepth(depth, states, maxLength);
  const fail = new Int32Array(states);
  const longest = new Int32Array(states); // 1 + index in `usable`, or 0
  for (const s of order) {
    const p = parent[s];
    let f = 0;
    if (p !== 0) {
      f = fail[p];
      while (f !== 0 && !next.has(f * CODE_UNITS + unit[s])) f = fail[f];
      f = next.get(f * CODE_UNITS + unit[s]) ?? 0;
    }
    fail[s] = f;
    // A state's own sequence is longer than any ending at its failure state (which is shallower).
    longest[s] = own[s] !== 0 ? own[s] : longest[f];
  }

  let best: StopMatch | undefined;
  let state = 0;
  for (let i = 0; i < text.length; i++) {
    // No match ending here or later can begin before `before`, or before (or, longer, at) the best one.
    if (i - maxLength + 1 >= before || (best && i - maxLength + 1 > best.index)) break;
    const code = text.charCodeAt(i);
    let to = next.get(state * CODE_UNITS + code);
    while (to === undefined && state !== 0) {
      state = fail[state];
      to = next.get(state * CODE_UNITS + code);
    }
    state = to ?? 0;
    const k = longest[state];
    if (k === 0) continue;
    const sequence = usable[k - 1];
    const index = i - sequence.length + 1;
    if (index < before && (!best || index < best.index || (index === best.index && sequence.length > best.sequence.length))) {
      best = { index, sequence };
    }
  }
  return best;
}

/** States 1…count-1 ordered by depth (a counting sort: linear). */
function byDepth(depth: Int32Array, count: number, maxDepth: number): Int32Array {
  const starts = new Int32Array(maxDepth + 2);
  for (let s = 1; s < count; s++) starts[depth[s] + 1]++;
  for (let d = 1; d <= maxDepth + 1; d++) starts[d] += starts[d - 1];
  const order = new Int32Array(count - 1);
  for (let s = 1; s < count; s++) order[starts[depth[s]]++] = s;
  return order;
}
