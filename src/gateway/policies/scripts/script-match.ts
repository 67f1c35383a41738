// Does a script's `match` fit a call? Compiled once when the script is added (globs and regexes become
// RegExps), so matching a call costs a few string tests.
import type { ConverseInput } from "../../../core/model.js";
import type { ScriptMatch } from "../../../config/script-schema.js";
import { RegexSyntaxError, SafeRegex } from "../../../guardrails/text/safe-regex/safe-regex.js";

/** What a script can be matched on, read once per call. */
export interface CallFacts {
  /** The served model id and the id the client sent (often equal). */
  modelIds: readonly string[];
  operation: string;
  caller: string;
  lastUserText: string;
  systemText: string;
}

export type CompiledMatch = (call: CallFacts) => boolean;

/** `*` any run of characters, `?` exactly one; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}

/**
 * A script's regex runs on every call's text, which the client writes: on the guardrails' linear-time engine,
 * so a pattern such as `(a+)+$` cannot stall the server on a crafted prompt. The few constructs that engine does
 * not run (backreferences, lookbehind) keep JavaScript's own engine: an operator chose them knowingly.
 */
function textPattern(source: string): { test(text: string): boolean } {
  let safe: SafeRegex;
  try {
    safe = new SafeRegex(source);
  } catch (err) {
    if (err instanceof RegexSyntaxError) return new RegExp(source);
    throw err;
  }
  return { test: (text) => safe.exec(text) !== undefined };
}

export function compileMatch(match: ScriptMatch): CompiledMatch {
  const tests: CompiledMatch[] = [];
  if (match.model !== undefined) {
    const glob = globToRegExp(match.model);
    tests.push((c) => c.modelIds.some((id) => glob.test(id)));
  }
  if (match.operation !== undefined) {
    const ops = new Set(Array.isArray(match.operation) ? match.operation : [match.operation]);
    tests.push((c) => ops.has(c.operation));
  }
  if (match.caller !== undefined) {
    const caller = match.caller;
    tests.push((c) => c.caller === caller);
  }
  if (match.text !== undefined) {
    const text = match.text;
    tests.push((c) => c.lastUserText.includes(text));
  }
  if (match.regex !== undefined) {
    const re = textPattern(match.regex);
    tests.push((c) => re.test(c.lastUserText));
  }
  if (match.system !== undefined) {
    const system = match.system;
    tests.push((c) => c.systemText.includes(system));
  }
  return (c) => tests.every((t) => t(c));
}

/** The last user message's text blocks joined with \n; "" when it has none (a turn of only tool results). */
export function lastUserText(input: ConverseInput): string {
  const messages = input.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== "user") continue;
    return messages[i].content.flatMap((b) => ("text" in b ? [b.text] : [])).join("\n");
  }
  return "";
}

export function systemText(input: ConverseInput): string {
  return (input.system ?? []).flatMap((b) => ("text" in b ? [b.text] : [])).join("\n");
}
