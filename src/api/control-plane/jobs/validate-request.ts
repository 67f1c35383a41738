// Constraint checks for the batch-job operations, read from the control-plane service model
// (spec/bedrock.service-2.json) — required members, lengths, ranges, patterns, enums, unions — with the
// AWS front end's wording, as the runtime's validator words them.
import { validationError } from "../../../core/errors.js";
import { formatIssues, type Issue } from "../../../service-model/validate-shape.js";
import { controlPlaneShapes, type Shape } from "../../../service-model/service-model.js";
import { isObject } from "../../../core/json.js";

type Check = (value: unknown, path: string, issues: Issue[]) => void;
const compiled = new Map<string, Check>();
const fail = (issues: Issue[], path: string, rule: string) => issues.push({ kind: "constraint", path, rule });
const join = (path: string, m: string) => (path ? `${path}.${m}` : m);

function checkerFor(name: string): Check {
  let check = compiled.get(name);
  if (!check) {
    const s = controlPlaneShapes()[name];
    if (!s) throw new Error(`shape ${name} is not in the control-plane model`);
    compiled.set(name, (v, p, i) => check!(v, p, i));
    check = compile(name, s);
    compiled.set(name, check);
  }
  return check;
}

function length(s: Shape, issues: Issue[], path: string, n: number): void {
  if (s.min !== undefined && n < s.min) fail(issues, path, `Member must have length greater than or equal to ${s.min}`);
  if (s.max !== undefined && n > s.max) fail(issues, path, `Member must have length less than or equal to ${s.max}`);
}

function compile(name: string, s: Shape): Check {
  switch (s.type) {
    case "structure": {
      const members = Object.entries(s.members ?? {}).filter(([, ref]) => !ref.location);
      const required = (s.required ?? []).filter((m) => !s.members?.[m]?.location);
      return (v, path, issues) => {
        if (!isObject(v)) return fail(issues, path, "Member must be a structure");
        if (s.union) {
          const set = Object.keys(v).filter((k) => v[k] !== null && v[k] !== undefined);
          if (set.length !== 1) return void issues.push({ kind: "union", path, shapeName: name, members: members.map(([m]) => m) });
        }
        for (const m of required) if (v[m] === undefined || v[m] === null) fail(issues, join(path, m), "Member must not be null");
        for (const [m, ref] of members) if (v[m] !== undefined && v[m] !== null) checkerFor(ref.shape)(v[m], join(path, m), issues);
      };
    }
    case "list":
      return (v, path, issues) => {
        if (!Array.isArray(v)) return fail(issues, path, "Member must be a list");
        length(s, issues, path, v.length);
        v.forEach((item, i) => checkerFor(s.member!.shape)(item, `${path}.${i + 1}.member`, issues));
      };
    case "string": {
      const pattern = s.pattern ? new RegExp(`^(?:${s.pattern})$`) : undefined;
      return (v, path, issues) => {
        if (typeof v !== "string") return fail(issues, path, "Member must be a string");
        if (s.enum && !s.enum.includes(v)) return fail(issues, path, `Member must satisfy enum value set: [${s.enum.join(", ")}]`);
        length(s, issues, path, v.length);
        if (pattern && !pattern.test(v)) fail(issues, path, `Member must satisfy regular expression pattern: ${s.pattern}`);
      };
    }
    case "integer": case "long":
      return (v, path, issues) => {
        if (typeof v !== "number" || !Number.isInteger(v)) return fail(issues, path, "Member must be an integer");
        if (s.min !== undefined && v < s.min) fail(issues, path, `Member must have value greater than or equal to ${s.min}`);
        if (s.max !== undefined && v > s.max) fail(issues, path, `Member must have value less than or equal to ${s.max}`);
      };
    case "timestamp":
      return (v, path, issues) => {
        if (typeof v !== "string" || !Number.isFinite(Date.parse(v))) fail(issues, path, "Member must be a timestamp");
      };
    default:
      return () => {};
  }
}

/** A JSON body against an input shape. */
export function validateRequest(shapeName: string, body: unknown): void {
  const issues: Issue[] = [];
  checkerFor(shapeName)(body, "", issues);
  const message = formatIssues(issues);
  if (message) throw validationError(message);
}

/** Labels and query parameters, each against its member shape (absent ones pass). */
export function validateParams(params: Record<string, [shape: string, value: unknown]>): void {
  const issues: Issue[] = [];
  for (const [member, [shapeName, value]] of Object.entries(params)) if (value !== undefined) checkerFor(shapeName)(value, member, issues);
  const message = formatIssues(issues);
  if (message) throw validationError(message);
}
