// Constraint validation compiled from the service model: required members, lengths, ranges, patterns,
// enums and unions, with the AWS front end's wording:
//   1 validation error detected: Value at 'messages.1.member.content.2.member.document.name' failed to
//   satisfy constraint: Member must have length less than or equal to 200
// List indices in these paths are 1-based with `.member`, as in the recordings of the real service.
// The offending value is quoted as the AWS front end quotes it (render-value.ts): `Value '0' at
// 'inferenceConfig.maxTokens' …`, `Value '1.5' at 'inferenceConfig.temperature' …`; it is left out for
// lists, maps and structures, and beneath sensitive shapes and the conversation itself (hidden-shapes.ts).
// A member of the wrong JSON type is not a constraint issue: the front end's JSON reader fails first and
// answers SerializationException (type-mismatch.ts).
//
// Validation is total: after it passes, every member a reader may touch has its modelled type. JSON null
// members are removed (restJson1 reads null as absent, and a reader testing `"text" in block` must not
// find one), a union must hold exactly one member this model knows, and a document may not nest deeper
// than MAX_JSON_DEPTH (readers and JSON.stringify recurse through documents).
import { exceedsDepth, MAX_JSON_DEPTH } from "../core/json-depth.js";
import { isObject } from "../core/json.js";
import { BedrockError } from "../core/errors.js";
import { hidesValues } from "./hidden-shapes.js";
import { renderValue } from "./render-value.js";
import { shape, type Shape } from "./service-model.js";
import { mismatchMessage } from "./type-mismatch.js";

/** `value` is the offending value as the front end quotes it (`'0'`, `null`); absent where it is left out. */
export interface ConstraintIssue { kind: "constraint"; path: string; rule: string; value?: string }
export interface UnionIssue { kind: "union"; path: string; shapeName: string; members: string[] }
/** A member of the wrong JSON type (`"maxTokens": "5"`): the front end's reader answers SerializationException. */
export interface TypeIssue { kind: "type"; path: string; expected: string; message: string }
export type Issue = ConstraintIssue | UnionIssue | TypeIssue;

type Check = (value: unknown, path: string, issues: Issue[]) => void;

/**
 * "constraints": everything the model states (what the AWS front end checks on a request). "types": only
 * what keeps readers safe — types, required members, unions, document depth — for Converse input that
 * Basalt made itself from a native body, whose ranges are the native format's, not Converse's.
 */
export type ValidationMode = "constraints" | "types";

const compiled: Record<ValidationMode, Map<string, Check>> = { constraints: new Map(), types: new Map() };

/** A validator for one named shape; compiled once and cached (never per request). */
export function validatorFor(shapeName: string, mode: ValidationMode = "constraints"): Check {
  const cache = compiled[mode];
  let check = cache.get(shapeName);
  if (!check) {
    // Recursive shapes (Document-like or nested lists) resolve through the cache lazily.
    cache.set(shapeName, (v, p, i) => check!(v, p, i));
    const s = shape(shapeName);
    check = compile(shapeName, s, mode);
    if (hidesValues(shapeName, s)) check = withoutValues(check);
    cache.set(shapeName, check);
  }
  return check;
}

/** Beneath a sensitive shape the front end names the member but never quotes what was sent. */
function withoutValues(check: Check): Check {
  return (v, path, issues) => {
    const local: Issue[] = [];
    check(v, path, local);
    for (const issue of local) issues.push(issue.kind === "constraint" && issue.value !== undefined ? { ...issue, value: undefined } : issue);
  };
}

const join = (path: string, member: string) => (path ? `${path}.${member}` : member);
/** A constraint broken by a list, map or structure (the front end quotes no value for those). */
const fail = (issues: Issue[], path: string, rule: string) => issues.push({ kind: "constraint", path, rule });
/** A constraint broken by a scalar, quoted as the front end quotes it. */
const failWith = (issues: Issue[], path: string, rule: string, value: string) => issues.push({ kind: "constraint", path, rule, value });
const mismatch = (issues: Issue[], path: string, expected: string, v: unknown) =>
  issues.push({ kind: "type", path, expected, message: mismatchMessage(expected, v) });

function lengthChecks(s: Shape, issues: Issue[], path: string, length: number, mode: ValidationMode, value?: string): void {
  if (mode === "types") return;
  if (s.min !== undefined && length < s.min) issues.push({ kind: "constraint", path, rule: `Member must have length greater than or equal to ${s.min}`, value });
  if (s.max !== undefined && length > s.max) issues.push({ kind: "constraint", path, rule: `Member must have length less than or equal to ${s.max}`, value });
}

function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, "u");
  } catch {
    try { return new RegExp(`^(?:${pattern})$`); } catch { return undefined; }
  }
}

// Standard alphabet, padded (restJson1 blobs, DIGEST §13.2). Compiled once; a linear scan even for
// megabyte images, far cheaper than the JSON.parse that produced the string.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (b64: string) => b64.length % 4 === 0 && BASE64.test(b64);

function base64Length(b64: string): number {
  const pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

const DEPTH_RULE = `Member must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;

function compile(name: string, s: Shape, mode: ValidationMode): Check {
  if (s.document) {
    return (v, path, issues) => {
      if (exceedsDepth(v, MAX_JSON_DEPTH)) fail(issues, path, DEPTH_RULE);
    };
  }
  const constraints = mode === "constraints";
  switch (s.type) {
    case "structure": return s.union ? compileUnion(name, s, mode) : compileStructure(s, mode);
    case "list": {
      const item = validatorFor(s.member!.shape, mode);
      return (v, path, issues) => {
        if (!Array.isArray(v)) return mismatch(issues, path, "list", v);
        lengthChecks(s, issues, path, v.length, mode);
        for (let i = 0; i < v.length; i++) item(v[i], `${path}.${i + 1}.member`, issues);
      };
    }
    case "map": {
      const key = validatorFor(s.key!.shape, mode);
      const value = validatorFor(s.value!.shape, mode);
      return (v, path, issues) => {
        if (!isObject(v)) return mismatch(issues, path, "map", v);
        const entries = Object.entries(v);
        lengthChecks(s, issues, path, entries.length, mode);
        for (const [k, val] of entries) {
          key(k, `${path}.${k}.key`, issues);
          value(val, `${path}.${k}.value`, issues);
        }
      };
    }
    case "string": {
      const pattern = s.pattern && constraints ? compilePattern(s.pattern) : undefined;
      const allowed = s.enum && constraints ? new Set(s.enum) : undefined;
      const enumText = s.enum ? `Member must satisfy enum value set: [${s.enum.join(", ")}]` : "";
      // Pattern before length, as the front end lists them (public report BerriAI/litellm#19384:
      // "Value '' at 'toolConfig.tools.1.member.toolSpec.name' … pattern: [a-zA-Z0-9_-]+; Value '' at … length").
      return (v, path, issues) => {
        if (typeof v !== "string") return mismatch(issues, path, "string", v);
        // Quoted only on failure: a valid string (a megabyte of prompt text) is never copied.
        if (allowed && !allowed.has(v)) return failWith(issues, path, enumText, renderValue(v));
        if (pattern && !pattern.test(v)) failWith(issues, path, `Member must satisfy regular expression pattern: ${s.pattern}`, renderValue(v));
        if (mode === "constraints" && ((s.min !== undefined && v.length < s.min) || (s.max !== undefined && v.length > s.max))) {
          lengthChecks(s, issues, path, v.length, mode, renderValue(v));
        }
      };
    }
    case "blob":
      return (v, path, issues) => {
        // Bad base64 would otherwise reach models (and the echo renderer's byte counts) as garbage.
        if (typeof v !== "string") return mismatch(issues, path, "blob", v);
        if (constraints && !isBase64(v)) return fail(issues, path, "Member must be a base64-encoded blob");
        if (constraints) lengthChecks(s, issues, path, base64Length(v), mode);
      };
    case "integer": case "long": case "float": case "double": {
      const integral = s.type === "integer" || s.type === "long";
      return (v, path, issues) => {
        if (typeof v !== "number") return mismatch(issues, path, s.type, v);
        if (!Number.isFinite(v) || (integral && !Number.isInteger(v))) {
          return fail(issues, path, `Member must be ${integral ? "an integer" : "a finite number"}`);
        }
        if (!constraints) return;
        const quoted = () => renderValue(v, s.type);
        if (s.min !== undefined && v < s.min) failWith(issues, path, `Member must have value greater than or equal to ${s.min}`, quoted());
        if (s.max !== undefined && v > s.max) failWith(issues, path, `Member must have value less than or equal to ${s.max}`, quoted());
      };
    }
    case "boolean":
      return (v, path, issues) => { if (typeof v !== "boolean") mismatch(issues, path, "boolean", v); };
    case "timestamp":
      return (v, path, issues) => {
        if (typeof v !== "string" && typeof v !== "number") mismatch(issues, path, "timestamp", v);
      };
    default:
      return () => {};
  }
}

// JSON null reads as absent: the member is deleted, so readers that test `"member" in value` never see it.
function dropNulls(v: Record<string, unknown>): void {
  for (const k in v) if (v[k] === null) delete v[k];
}

function compileStructure(s: Shape, mode: ValidationMode): Check {
  // Members bound to the URI or headers are not in the JSON body.
  const members = Object.entries(s.members ?? {})
    .filter(([, ref]) => !ref.location)
    .map(([m, ref]) => ({ name: m, check: validatorFor(ref.shape, mode) }));
  const required = (s.required ?? []).filter((m) => !s.members?.[m]?.location);
  return (v, path, issues) => {
    if (!isObject(v)) return mismatch(issues, path, "structure", v);
    dropNulls(v);
    // A missing member is quoted as `null` (`Value null at 'x'`), except where values are hidden.
    for (const m of required) if (v[m] === undefined) failWith(issues, join(path, m), "Member must not be null", "null");
    for (const { name, check } of members) {
      const value = v[name];
      if (value !== undefined) check(value, join(path, name), issues);
    }
  };
}

function compileUnion(name: string, s: Shape, mode: ValidationMode): Check {
  const names = Object.keys(s.members ?? {});
  const checks = new Map(names.map((m) => [m, validatorFor(s.members![m].shape, mode)]));
  return (v, path, issues) => {
    if (!isObject(v)) return mismatch(issues, path, "structure", v);
    dropNulls(v);
    // Exactly one member, and one this model knows: a member of a newer model (or a typo) alone cannot be
    // served, and one beside a known member would leave readers to guess which the caller meant.
    const set = Object.keys(v);
    const check = set.length === 1 ? checks.get(set[0]) : undefined;
    if (!check) {
      issues.push({ kind: "union", path, shapeName: name, members: names });
      return;
    }
    check(v[set[0]], join(path, set[0]), issues);
  };
}

/** `messages.2.member.content.1.member` → `messages.1.content.0` (the 0-based form of Bedrock's own checks). */
export function zeroBasedPath(path: string): string {
  return path.replace(/\.(\d+)\.member/g, (_m, n: string) => `.${Number(n) - 1}`);
}

/** Bedrock's message for a list of issues, or undefined when there are none. */
export function formatIssues(issues: Issue[]): string | undefined {
  if (issues.length === 0) return undefined;
  const type = issues.find((i): i is TypeIssue => i.kind === "type");
  if (type) return type.message;
  const union = issues.find((i): i is UnionIssue => i.kind === "union");
  if (union) {
    return `${union.shapeName} object at ${zeroBasedPath(union.path)} must set one of the following keys: ${union.members.join(", ")}.`;
  }
  const parts = (issues as ConstraintIssue[]).map((i) =>
    `Value ${i.value === undefined ? "" : `${i.value} `}at '${i.path}' failed to satisfy constraint: ${i.rule}`);
  const n = parts.length;
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}

/**
 * The error a list of issues is answered with: a wrong JSON type is a SerializationException (the reader
 * fails before any constraint is looked at), everything else a ValidationException.
 */
export function issuesError(issues: Issue[]): BedrockError | undefined {
  const message = formatIssues(issues);
  if (message === undefined) return undefined;
  return new BedrockError(issues.some((i) => i.kind === "type") ? "SerializationException" : "ValidationException", message);
}
