// The scripts in force: declared in the config (`scripts:`) and added or removed at run time through
// /_basalt/scripts. One store per server, shared by every served model. The newest matching script wins;
// `times` and `probability` let a call fall through to older scripts and then to the provider.
import { randomUUID } from "node:crypto";
import type { ZodIssue } from "zod";
import { validationError } from "../../../core/errors.js";
import { compileMatch, globToRegExp, type CallFacts, type CompiledMatch } from "./script-match.js";
import { scriptSchema, type ScriptSpec } from "../../../config/script-schema.js";

export interface StoredScript {
  readonly id: string;
  readonly spec: ScriptSpec;
  readonly matches: CompiledMatch;
  /** The model glob alone, for mayMatchModel. */
  readonly model?: RegExp;
  /** Calls this script has answered. */
  matched: number;
  readonly createdAt: string;
}

/** A script as GET /_basalt/scripts lists it. */
export type ScriptView = ScriptSpec & { id: string; matched: number; remaining?: number; createdAt: string };

export interface ScriptStoreOptions {
  /** Uniform in [0, 1); tests may pass a seeded generator. */
  random?: () => number;
}

function describe(issue: ZodIssue): string {
  const key = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[");
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `${key ? `${key}.` : ""}${k}: unknown key`).join("; ");
  return key ? `${key}: ${issue.message}` : issue.message;
}

/** A script checked against the schema; a bad one is a ValidationException naming the key at fault. */
export function parseScript(input: unknown): ScriptSpec {
  const parsed = scriptSchema.safeParse(input);
  if (!parsed.success) throw validationError(`Invalid script: ${parsed.error.issues.map(describe).join("; ")}`);
  return parsed.data;
}

export class ScriptStore {
  // Oldest first; lookups walk it backwards so the newest wins.
  private scripts: StoredScript[] = [];
  private readonly random: () => number;

  constructor(initial: readonly ScriptSpec[] = [], opts: ScriptStoreOptions = {}) {
    this.random = opts.random ?? Math.random;
    for (const spec of initial) this.insert(spec);
  }

  /** Validates and adds one script (replacing any with the same id); a bad one is a ValidationException. */
  add(input: unknown): ScriptView {
    return view(this.insert(parseScript(input)));
  }

  /** Adds several, in order, or none if any is invalid (the error names its index). */
  addAll(inputs: readonly unknown[]): ScriptView[] {
    const specs = inputs.map((input, i) => {
      try {
        return parseScript(input);
      } catch (err) {
        throw validationError(`scripts[${i}]: ${(err as Error).message}`);
      }
    });
    return specs.map((spec) => view(this.insert(spec)));
  }

  private insert(spec: ScriptSpec): StoredScript {
    const id = spec.id ?? randomUUID();
    this.scripts = this.scripts.filter((s) => s.id !== id);
    const stored: StoredScript = { id, spec: { ...spec, id }, matches: compileMatch(spec.match), matched: 0,
      model: spec.match.model === undefined ? undefined : globToRegExp(spec.match.model), createdAt: new Date().toISOString() };
    this.scripts.push(stored);
    return stored;
  }

  list(): ScriptView[] {
    return this.scripts.map(view);
  }

  get(id: string): ScriptView | undefined {
    const s = this.scripts.find((x) => x.id === id);
    return s && view(s);
  }

  remove(id: string): boolean {
    const before = this.scripts.length;
    this.scripts = this.scripts.filter((s) => s.id !== id);
    return this.scripts.length < before;
  }

  /** Removes every script; returns how many there were. */
  clear(): number {
    const n = this.scripts.length;
    this.scripts = [];
    return n;
  }

  get size(): number {
    return this.scripts.length;
  }

  /** Could any script ever answer calls to these model ids? (Lets a pass-through backend keep its fast path.) */
  mayMatchModel(modelIds: readonly string[]): boolean {
    return this.scripts.some((s) => !s.model || modelIds.some((id) => s.model!.test(id)));
  }

  /**
   * The script that answers this call, if any: the newest whose match fits, that has uses left and wins
   * its probability draw. Counts the use.
   */
  pick(call: CallFacts): StoredScript | undefined {
    for (let i = this.scripts.length - 1; i >= 0; i--) {
      const s = this.scripts[i];
      if (s.spec.times !== undefined && s.matched >= s.spec.times) continue;
      if (!s.matches(call)) continue;
      if (s.spec.probability !== undefined && !(this.random() < s.spec.probability)) continue;
      s.matched++;
      return s;
    }
    return undefined;
  }
}

function view(s: StoredScript): ScriptView {
  const v: ScriptView = { ...s.spec, id: s.id, matched: s.matched, createdAt: s.createdAt };
  if (s.spec.times !== undefined) v.remaining = Math.max(0, s.spec.times - s.matched);
  return v;
}
