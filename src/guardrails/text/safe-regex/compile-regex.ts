// Compiles a parsed regex into a Pike-VM program: CHAR (one code unit in a set), SPLIT (two successors, the
// first preferred), JMP, SAVE (a capture slot), ASSERT, MATCH. Counted repetition is unrolled, so the program
// size is bounded to keep both memory and per-character work bounded.
import type { CharSet } from "./char-set.js";
import { RegexSyntaxError, type RegexNode } from "./parse-regex.js";

export const enum Op { Char, Split, Jmp, Save, Assert, Match }
export type AssertKind = "start" | "end" | "word" | "notWord";

export interface Program {
  readonly op: Op[];
  /** Char: set index; Split/Jmp: first target; Save: slot; Assert: kind index. */
  readonly a: number[];
  /** Split: second target. */
  readonly b: number[];
  readonly sets: CharSet[];
  readonly slots: number;
}

export const ASSERT_KINDS: readonly AssertKind[] = ["start", "end", "word", "notWord"];
const MAX_INSTRUCTIONS = 20_000;

export function compileRegex(node: RegexNode, groups: number): Program {
  const prog: Program = { op: [], a: [], b: [], sets: [], slots: 2 * (groups + 1) };
  const emit = (op: Op, a = 0, b = 0): number => {
    if (prog.op.length >= MAX_INSTRUCTIONS) throw new RegexSyntaxError("pattern too large once its repetitions are expanded");
    prog.op.push(op);
    prog.a.push(a);
    prog.b.push(b);
    return prog.op.length - 1;
  };

  function gen(n: RegexNode): void {
    switch (n.t) {
      case "set":
        prog.sets.push(n.set);
        emit(Op.Char, prog.sets.length - 1);
        return;
      case "seq":
        for (const item of n.items) gen(item);
        return;
      case "alt": {
        const jumps: number[] = [];
        for (let i = 0; i < n.items.length; i++) {
          if (i < n.items.length - 1) {
            const split = emit(Op.Split);
            prog.a[split] = split + 1;
            gen(n.items[i]);
            jumps.push(emit(Op.Jmp));
            prog.b[split] = prog.op.length;
          } else gen(n.items[i]);
        }
        for (const j of jumps) prog.a[j] = prog.op.length;
        return;
      }
      case "group":
        if (n.index === undefined) return gen(n.node);
        emit(Op.Save, 2 * n.index);
        gen(n.node);
        emit(Op.Save, 2 * n.index + 1);
        return;
      case "assert":
        emit(Op.Assert, ASSERT_KINDS.indexOf(n.kind));
        return;
      case "repeat": {
        for (let i = 0; i < n.min; i++) gen(n.node);
        if (n.max === Infinity) {
          const split = emit(Op.Split);
          gen(n.node);
          emit(Op.Jmp, split);
          setSplit(split, split + 1, prog.op.length, n.greedy);
        } else {
          const splits: number[] = [];
          for (let i = n.min; i < n.max; i++) {
            splits.push(emit(Op.Split));
            gen(n.node);
          }
          for (const s of splits) setSplit(s, s + 1, prog.op.length, n.greedy);
        }
        return;
      }
    }
  }

  function setSplit(at: number, body: number, out: number, greedy: boolean): void {
    prog.a[at] = greedy ? body : out;
    prog.b[at] = greedy ? out : body;
  }

  emit(Op.Save, 0);
  gen(node);
  emit(Op.Save, 1);
  emit(Op.Match);
  return prog;
}

/**
 * The code units a match can start with, as a 64K bitmap, or undefined when a match can start with anything
 * or be empty (then no position can be skipped). Lets the matcher jump over text no match can start in.
 */
export function firstUnits(prog: Program): Uint8Array | undefined {
  const map = new Uint8Array(0x10000);
  const seen = new Set<number>();
  const stack = [0];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    switch (prog.op[pc]) {
      case Op.Char:
        for (const [lo, hi] of prog.sets[prog.a[pc]].ranges) map.fill(1, lo, hi + 1);
        break;
      case Op.Split: stack.push(prog.a[pc], prog.b[pc]); break;
      case Op.Jmp: stack.push(prog.a[pc]); break;
      case Op.Save: case Op.Assert: stack.push(pc + 1); break;
      case Op.Match: return undefined;
    }
  }
  return map;
}
