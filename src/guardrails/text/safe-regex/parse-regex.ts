// Parses a regular expression into a syntax tree for the linear-time engine. The syntax is the common core
// of JavaScript / Java / PCRE regexes: literals, escapes (\d \w \s and their negations, \b \B, \t \n \r \f \v
// \0, \xHH, \uHHHH, escaped punctuation), classes with ranges and negation, `.`, `^` `$`, groups (capturing,
// `(?:…)`, `(?<name>…)`), alternation, greedy and lazy quantifiers (`* + ? {n} {n,} {n,m}`), and a leading
// `(?i)` for case-insensitive matching. Backreferences and lookaround cannot run in linear time and are refused.
import { CharSet, DIGIT, DOT, SPACE, WORD, type Range } from "./char-set.js";

export type RegexNode =
  | { t: "set"; set: CharSet }
  | { t: "seq"; items: RegexNode[] }
  | { t: "alt"; items: RegexNode[] }
  | { t: "repeat"; node: RegexNode; min: number; max: number; greedy: boolean }
  | { t: "group"; node: RegexNode; index?: number }
  | { t: "assert"; kind: "start" | "end" | "word" | "notWord" };

export class RegexSyntaxError extends Error {}

export interface ParsedRegex { node: RegexNode; groups: number; ignoreCase: boolean }

const MAX_REPEAT = 1000;

export function parseRegex(source: string, options: { ignoreCase?: boolean } = {}): ParsedRegex {
  let pos = 0;
  let groups = 0;
  let ignoreCase = options.ignoreCase ?? false;
  if (source.startsWith("(?i)")) {
    ignoreCase = true;
    pos = 4;
  }
  const fail = (why: string): never => {
    throw new RegexSyntaxError(`${why} at position ${pos}`);
  };
  const peek = () => source[pos];
  const eat = (ch: string) => (source[pos] === ch ? (pos++, true) : false);
  // Case is folded before negation, so that a case-insensitive [^a] refuses both a and A.
  const set = (ranges: Iterable<Range>, negated = false): RegexNode => {
    let s = CharSet.of(ranges);
    if (ignoreCase) s = s.caseFolded();
    return { t: "set", set: negated ? CharSet.of(s.ranges, true) : s };
  };

  function alternation(): RegexNode {
    const items = [sequence()];
    while (eat("|")) items.push(sequence());
    return items.length === 1 ? items[0] : { t: "alt", items };
  }

  function sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (pos < source.length && peek() !== "|" && peek() !== ")") items.push(quantified(atom()));
    return { t: "seq", items };
  }

  function quantified(node: RegexNode): RegexNode {
    let min: number;
    let max: number;
    const ch = peek();
    if (ch === "*") [min, max] = [0, Infinity];
    else if (ch === "+") [min, max] = [1, Infinity];
    else if (ch === "?") [min, max] = [0, 1];
    else if (ch === "{" && /^\{\d+(,\d*)?\}/.test(source.slice(pos))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos))!;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (max < min) fail("numbers out of order in {} quantifier");
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) fail(`repetition count above ${MAX_REPEAT}`);
      pos += m[0].length - 1;
    } else return node;
    pos++;
    if (node.t === "assert") fail("nothing to repeat");
    const greedy = !eat("?");
    if (peek() === "+") fail("possessive quantifiers are not supported");
    return quantified({ t: "repeat", node, min, max, greedy });
  }

  function atom(): RegexNode {
    const ch = source[pos++];
    switch (ch) {
      case "(": return group();
      case "[": return charClass();
      case ".": return { t: "set", set: DOT };
      case "^": return { t: "assert", kind: "start" };
      case "$": return { t: "assert", kind: "end" };
      case "\\": return escape(false) as RegexNode;
      case "*": case "+": case "?": return fail("nothing to repeat");
      case ")": return fail("unmatched )");
      default: {
        const code = ch.charCodeAt(0);
        return set([[code, code]]);
      }
    }
  }

  function group(): RegexNode {
    let index: number | undefined;
    if (eat("?")) {
      if (eat(":")) index = undefined;
      else if (peek() === "<" && source[pos + 1] !== "=" && source[pos + 1] !== "!") {
        const end = source.indexOf(">", pos);
        if (end === -1 || !/^<[A-Za-z_][A-Za-z0-9_]*>$/.test(source.slice(pos, end + 1))) fail("invalid group name");
        pos = end + 1;
        index = ++groups;
      } else if ("=!<".includes(peek() ?? "")) return fail("lookaround is not supported (it cannot run in linear time)");
      else return fail("unsupported group modifier");
    } else index = ++groups;
    const node = alternation();
    if (!eat(")")) fail("missing )");
    return { t: "group", node, index };
  }

  /** An escape; inside a class, returns ranges (and refuses assertions). */
  function escape(inClass: boolean): RegexNode | Range[] {
    const ch = source[pos++];
    if (ch === undefined) return fail("\\ at end of pattern");
    const ranges = (rs: readonly Range[], negated = false): RegexNode | Range[] =>
      inClass ? (negated ? [...CharSet.of(rs, true).ranges] : [...rs]) : set(rs, negated);
    const single = (code: number) => ranges([[code, code]]);
    switch (ch) {
      case "d": return ranges(DIGIT);
      case "D": return ranges(DIGIT, true);
      case "w": return ranges(WORD);
      case "W": return ranges(WORD, true);
      case "s": return ranges(SPACE);
      case "S": return ranges(SPACE, true);
      case "b": return inClass ? single(8) : { t: "assert", kind: "word" };
      case "B": return inClass ? fail("\\B inside a class") : { t: "assert", kind: "notWord" };
      case "t": return single(9);
      case "n": return single(10);
      case "v": return single(11);
      case "f": return single(12);
      case "r": return single(13);
      case "0": return single(0);
      case "x": case "u": {
        const len = ch === "x" ? 2 : 4;
        const hex = source.slice(pos, pos + len);
        if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) fail(`invalid \\${ch} escape`);
        pos += len;
        return single(parseInt(hex, 16));
      }
      case "p": case "P": return fail("Unicode property escapes are not supported");
      default:
        if (/[1-9]/.test(ch)) return fail("backreferences are not supported (they cannot run in linear time)");
        if (/[A-Za-z]/.test(ch)) return fail(`unknown escape \\${ch}`);
        return single(ch.charCodeAt(0));
    }
  }

  function charClass(): RegexNode {
    const negated = eat("^");
    const ranges: Range[] = [];
    let first = true;
    while (pos < source.length && (peek() !== "]" || first)) {
      first = false;
      const lo = classAtom();
      if (peek() === "-" && source[pos + 1] !== "]" && pos + 1 < source.length && lo.length === 1 && lo[0][0] === lo[0][1]) {
        pos++;
        const hi = classAtom();
        if (hi.length !== 1 || hi[0][0] !== hi[0][1]) fail("invalid range in class");
        if (hi[0][0] < lo[0][0]) fail("range out of order in class");
        ranges.push([lo[0][0], hi[0][0]]);
      } else ranges.push(...lo);
    }
    if (!eat("]")) fail("missing ]");
    return set(ranges, negated);
  }

  function classAtom(): Range[] {
    const ch = source[pos++];
    if (ch === "\\") return escape(true) as Range[];
    if (ch === "[" && peek() === ":") fail("POSIX classes are not supported");
    const code = ch.charCodeAt(0);
    return [[code, code]];
  }

  const node = alternation();
  if (pos < source.length) fail("unmatched )");
  return { node, groups, ignoreCase };
}
