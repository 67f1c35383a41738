// A regular expression that matches in time linear in the text (Pike VM: every thread advances in lockstep,
// one step per character, at most one thread per program position), whatever the pattern. Used for every
// regex the guardrail engine runs on untrusted text — the built-in PII patterns and users' `regexesConfig` —
// so that no pattern, such as `(a+)+$`, can stall the server on a crafted prompt (ReDoS).
// Semantics follow JavaScript's: leftmost match, alternatives and quantifiers in priority order (greedy or lazy).
import { ASSERT_KINDS, compileRegex, firstUnits, Op, type Program } from "./compile-regex.js";
import { parseRegex, RegexSyntaxError } from "./parse-regex.js";

export { RegexSyntaxError };

export interface SafeMatch {
  readonly index: number;
  readonly end: number;
  /** Text of the whole match. */
  readonly text: string;
  /** Capture groups 1…n (undefined when a group took no part). */
  readonly groups: readonly (string | undefined)[];
}

const isWord = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

interface Thread { pc: number; caps: number[] }

export class SafeRegex {
  private readonly prog: Program;
  private readonly first: Uint8Array | undefined;
  private readonly groupCount: number;

  /** Throws RegexSyntaxError for a pattern it cannot run (with the reason). */
  constructor(readonly source: string, options: { ignoreCase?: boolean } = {}) {
    const parsed = parseRegex(source, options);
    this.prog = compileRegex(parsed.node, parsed.groups);
    this.first = firstUnits(this.prog);
    this.groupCount = parsed.groups;
  }

  /** Why a pattern cannot be used, or undefined when it can. */
  static problem(source: string): string | undefined {
    try {
      new SafeRegex(source);
      return undefined;
    } catch (err) {
      if (err instanceof RegexSyntaxError) return err.message;
      throw err;
    }
  }

  /** The leftmost match starting at or after `from`. */
  exec(text: string, from = 0): SafeMatch | undefined {
    const { op, a, sets } = this.prog;
    const n = text.length;
    let clist: Thread[] = [];
    let nlist: Thread[] = [];
    // Per-step dedupe: onList[pc] === step means pc is already on the list being built.
    const onList = new Int32Array(op.length).fill(-1);
    let matched: number[] | undefined;
    let step = 0;

    const add = (list: Thread[], pc0: number, caps0: number[], pos: number) => {
      const stack: Thread[] = [{ pc: pc0, caps: caps0 }];
      while (stack.length) {
        const { pc, caps } = stack.pop()!;
        if (onList[pc] === step) continue;
        onList[pc] = step;
        switch (op[pc]) {
          case Op.Jmp: stack.push({ pc: a[pc], caps }); break;
          case Op.Split:
            // Pushed in reverse so that the preferred branch is explored (and listed) first.
            stack.push({ pc: this.prog.b[pc], caps }, { pc: a[pc], caps });
            break;
          case Op.Save: {
            const copy = caps.slice();
            copy[a[pc]] = pos;
            stack.push({ pc: pc + 1, caps: copy });
            break;
          }
          case Op.Assert:
            if (this.assertion(ASSERT_KINDS[a[pc]], text, pos)) stack.push({ pc: pc + 1, caps });
            break;
          default: list.push({ pc, caps });
        }
      }
    };

    for (let pos = from; pos <= n; pos++) {
      if (!matched) {
        if (clist.length === 0 && this.first) {
          while (pos < n && this.first[text.charCodeAt(pos)] === 0) pos++;
          if (pos >= n) break;
        }
        step++;
        // The new thread starting here ranks below every thread already running (leftmost wins).
        for (const t of clist) onList[t.pc] = step;
        add(clist, 0, new Array<number>(this.prog.slots).fill(-1), pos);
      }
      if (clist.length === 0) {
        if (matched) break;
        continue; // e.g. a \b that does not hold here: try the next position
      }
      step++;
      const code = pos < n ? text.charCodeAt(pos) : -1;
      for (let i = 0; i < clist.length; i++) {
        const t = clist[i];
        if (op[t.pc] === Op.Match) {
          matched = t.caps;
          break; // lower-priority threads lose to this match
        }
        if (code !== -1 && sets[a[t.pc]].has(code)) add(nlist, t.pc + 1, t.caps, pos + 1);
      }
      [clist, nlist] = [nlist, clist];
      nlist.length = 0;
    }
    if (!matched) return undefined;
    const groups: (string | undefined)[] = [];
    for (let g = 1; g <= this.groupCount; g++) {
      const s = matched[2 * g];
      const e = matched[2 * g + 1];
      groups.push(s >= 0 && e >= 0 ? text.slice(s, e) : undefined);
    }
    return { index: matched[0], end: matched[1], text: text.slice(matched[0], matched[1]), groups };
  }

  /** Successive non-overlapping matches, at most `limit` (which bounds the work to limit × text length). */
  *matches(text: string, limit = 1000): Generator<SafeMatch> {
    let from = 0;
    for (let count = 0; count < limit && from <= text.length; count++) {
      const m = this.exec(text, from);
      if (!m) return;
      yield m;
      from = m.end > m.index ? m.end : m.end + 1;
    }
  }

  private assertion(kind: string, text: string, pos: number): boolean {
    switch (kind) {
      case "start": return pos === 0;
      case "end": return pos === text.length;
      default: {
        const before = pos > 0 && isWord(text.charCodeAt(pos - 1));
        const after = pos < text.length && isWord(text.charCodeAt(pos));
        return (before !== after) === (kind === "word");
      }
    }
  }
}
