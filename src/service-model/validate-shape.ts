// Constraint validation compiled from the service model: required members, lengths, ranges, patterns,
// enums and unions, with the AWS front end's wording:
//   1 validation error detected: Value at 'messages.1.member.content.2.member.document.name' failed to
//   satisfy constraint: Member must have length less than or equal to 200
// List indices in these paths are 1-based with `.member`, as in the recordings of the real service.
//
// Validation is total: after it passes, every member a reader may touch has its modelled type. JSON null
// members are removed (restJson1 reads null as absent, and a reader testing `"text" in block` must not
// find one), a union must hold exactly one member this model knows, and a document may not nest deeper
// than MAX_JSON_DEPTH (readers and JSON.stringify recurse through documents).
import { exceedsDepth, MAX_JSON_DEPTH } from "../core/json-depth.js";
import { isObject } from "../core/json.js";
import { shape, type Shape } from "./service-model.js";

export interface ConstraintIssue { kind: "constraint"; path: string; rule: string }
export interface UnionIssue { kind: "union"; path: string; shapeName: string; members: string[] }
export type Issue = ConstraintIssue | UnionIssue;

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
    check = compile(shapeName, shape(shapeName), mode);
    cache.set(shapeName, check);
  }
  return check;
}

const join = (path: string, member: string) => (path ? `${path}.${member}` : member);
const fail = (issues: Issue[], path: string, rule: string) => issues.push({ kind: "constraint", path, rule });

function lengthChecks(s: Shape, issues: Issue[], path: string, length: number, mode: ValidationMode): void {
  if (mode === "types") return;
  if (s.min !== undefined && length < s.min) fail(issues, path, `Member must have length greater than or equal to ${s.min}`);
  if (s.max !== undefined && length > s.max) fail(issues, path, `Member must have length less than or equal to ${s.max}`);
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
        if (!Array.isArray(v)) return fail(issues, path, "Member must be a list");
        lengthChecks(s, issues, path, v.length, mode);
        for (let i = 0; i < v.length; i++) item(v[i], `${path}.${i + 1}.member`, issues);
      };
    }
    case "map": {
      const key = validatorFor(s.key!.shape, mode);
      const value = validatorFor(s.value!.shape, mode);
      return (v, path, issues) => {
        if (!isObject(v)) return fail(issues, path, "Member must be a map");
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
      return (v, path, issues) => {
        if (typeof v !== "string") return fail(issues, path, "Member must be a string");
        if (allowed && !allowed.has(v)) return fail(issues, path, enumText);
        lengthChecks(s, issues, path, v.length, mode);
        if (pattern && !pattern.test(v)) fail(issues, path, `Member must satisfy regular expression pattern: ${s.pattern}`);
      };
    }
    case "blob":
      return (v, path, issues) => {
        // Bad base64 would otherwise reach models (and the echo renderer's byte counts) as garbage.
        if (typeof v !== "string" || (constraints && !isBase64(v))) return fail(issues, path, "Member must be a base64-encoded blob");
        if (constraints) lengthChecks(s, issues, path, base64Length(v), mode);
      };
    case "integer": case "long": case "float": case "double": {
      const integral = s.type === "integer" || s.type === "long";
      return (v, path, issues) => {
        if (typeof v !== "number" || !Number.isFinite(v) || (integral && !Number.isInteger(v))) {
          return fail(issues, path, `Member must be ${integral ? "an integer" : "a finite number"}`);
        }
        if (!constraints) return;
        if (s.min !== undefined && v < s.min) fail(issues, path, `Member must have value greater than or equal to ${s.min}`);
        if (s.max !== undefined && v > s.max) fail(issues, path, `Member must have value less than or equal to ${s.max}`);
      };
    }
    case "boolean":
      return (v, path, issues) => { if (typeof v !== "boolean") fail(issues, path, "Member must be a boolean"); };
    case "timestamp":
      return (v, path, issues) => {
        if (typeof v !== "string" && typeof v !== "number") fail(issues, path, "Member must be a timestamp");
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
    if (!isObject(v)) return fail(issues, path, "Member must be a structure");
    dropNulls(v);
    for (const m of required) if (v[m] === undefined) fail(issues, join(path, m), "Member must not be null");
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
    if (!isObject(v)) return fail(issues, path, "Member must be a structure");
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
  const union = issues.find((i): i is UnionIssue => i.kind === "union");
  if (union) {
    return `${union.shapeName} object at ${zeroBasedPath(union.path)} must set one of the following keys: ${union.members.join(", ")}.`;
  }
  const parts = (issues as ConstraintIssue[]).map((i) => `Value at '${i.path}' failed to satisfy constraint: ${i.rule}`);
  const n = parts.length;
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}
