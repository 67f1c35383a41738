// Sets of UTF-16 code units as sorted, merged ranges: what one position of a pattern accepts.

export type Range = readonly [lo: number, hi: number];

export class CharSet {
  private constructor(readonly ranges: readonly Range[]) {}

  static of(ranges: Iterable<Range>, negated = false): CharSet {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = merged[merged.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    if (!negated) return new CharSet(merged);
    const inverse: [number, number][] = [];
    let next = 0;
    for (const [lo, hi] of merged) {
      if (lo > next) inverse.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= 0xffff) inverse.push([next, 0xffff]);
    return new CharSet(inverse);
  }

  has(code: number): boolean {
    const r = this.ranges;
    let lo = 0;
    let hi = r.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (code < r[mid][0]) hi = mid - 1;
      else if (code > r[mid][1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** The same set plus the other case of every ASCII and Latin-1 letter in it. */
  caseFolded(): CharSet {
    const extra: Range[] = [];
    for (const [lo, hi] of this.ranges) {
      for (let c = lo; c <= Math.min(hi, 0x24f); c++) {
        const ch = String.fromCharCode(c);
        for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
          if (other.length === 1 && other !== ch) extra.push([other.charCodeAt(0), other.charCodeAt(0)]);
        }
      }
    }
    return extra.length ? CharSet.of([...this.ranges, ...extra]) : this;
  }
}

const r = (a: string, b = a): Range => [a.charCodeAt(0), b.charCodeAt(0)];
export const DIGIT: readonly Range[] = [r("0", "9")];
export const WORD: readonly Range[] = [r("0", "9"), r("A", "Z"), r("_"), r("a", "z")];
// JavaScript's \s: ASCII whitespace, NBSP, the Unicode space separators, line/paragraph separators, BOM.
export const SPACE: readonly Range[] = [
  [9, 13], [32, 32], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f],
  [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];
/** `.`: anything but line terminators, as in JavaScript without the `s` flag. */
export const DOT = CharSet.of([[10, 10], [13, 13], [0x2028, 0x2029]], true);
