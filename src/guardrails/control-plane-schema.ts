// zod schemas built from the control-plane service model (spec/bedrock.service-2.json), so that guardrails —
// in the config file (strict: unknown keys are errors) or in control-plane requests (lenient: unknown members
// ignored, as the AWS front end does) — are checked against exactly the constraints of the model, with no
// hand-copied list of members, enums, lengths or patterns to drift. Messages use the AWS front end's wording.
import { z } from "zod";
import { controlPlaneShapes, type Shape } from "../service-model/service-model.js";

export type SchemaMode = "strict" | "lenient";

const caches: Record<SchemaMode, Map<string, z.ZodTypeAny>> = { strict: new Map(), lenient: new Map() };

/** A zod schema for a named shape of the control-plane model (recursive shapes resolve lazily). */
export function schemaForShape(name: string, mode: SchemaMode = "strict"): z.ZodTypeAny {
  const cache = caches[mode];
  const cached = cache.get(name);
  if (cached) return cached;
  cache.set(name, z.lazy(() => schemaForShape(name, mode)));
  const built = build(controlPlaneShapes()[name], mode);
  cache.set(name, built);
  return built;
}

/** The members of a structure shape as a zod object shape, minus some. */
export function membersOf(name: string, omit: readonly string[] = [], mode: SchemaMode = "strict"): Record<string, z.ZodTypeAny> {
  const s = controlPlaneShapes()[name];
  const required = new Set(s.required ?? []);
  const out: Record<string, z.ZodTypeAny> = {};
  for (const [member, ref] of Object.entries(s.members ?? {})) {
    if (omit.includes(member)) continue;
    const schema = schemaForShape(ref.shape, mode);
    out[member] = required.has(member) ? schema : schema.optional();
  }
  return out;
}

const length = (op: string, n: number) => `Member must have length ${op} ${n}`;
const value = (op: string, n: number) => `Member must have value ${op} ${n}`;

function build(s: Shape | undefined, mode: SchemaMode): z.ZodTypeAny {
  if (!s) throw new Error("shape missing from the control-plane model");
  if (s.document) return z.unknown();
  switch (s.type) {
    case "structure": {
      const object = z.object(membersOfShape(s, mode));
      const shaped = mode === "strict" ? object.strict() : object.passthrough();
      return s.union
        ? shaped.refine((v) => Object.keys(v).length === 1, `Member must set exactly one of: ${Object.keys(s.members ?? {}).join(", ")}`)
        : shaped;
    }
    case "list": {
      let list = z.array(schemaForShape(s.member!.shape, mode));
      if (s.min !== undefined) list = list.min(s.min, length("greater than or equal to", s.min));
      if (s.max !== undefined) list = list.max(s.max, length("less than or equal to", s.max));
      return list;
    }
    case "map": return z.record(schemaForShape(s.value!.shape, mode));
    case "string": {
      if (s.enum) {
        const message = `Member must satisfy enum value set: [${s.enum.join(", ")}]`;
        return z.enum(s.enum as [string, ...string[]], { errorMap: () => ({ message }) });
      }
      let str = z.string();
      if (s.min !== undefined) str = str.min(s.min, length("greater than or equal to", s.min));
      if (s.max !== undefined) str = str.max(s.max, length("less than or equal to", s.max));
      if (s.pattern) str = str.regex(new RegExp(`^(?:${s.pattern})$`), `Member must satisfy regular expression pattern: ${s.pattern}`);
      return str;
    }
    case "boolean": return z.boolean();
    case "integer": case "long": case "float": case "double": {
      let n = s.type === "integer" || s.type === "long" ? z.number().int("Member must be an integer") : z.number();
      if (s.min !== undefined) n = n.min(s.min, value("greater than or equal to", s.min));
      if (s.max !== undefined) n = n.max(s.max, value("less than or equal to", s.max));
      return n;
    }
    default: return z.string(); // timestamps and blobs travel as strings
  }
}

function membersOfShape(s: Shape, mode: SchemaMode): Record<string, z.ZodTypeAny> {
  return Object.fromEntries(Object.entries(s.members ?? {}).map(([m, ref]) => {
    const schema = schemaForShape(ref.shape, mode);
    return [m, s.required?.includes(m) ? schema : schema.optional()];
  }));
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string", number: "a finite number", boolean: "a boolean", object: "a structure", array: "a list",
};

/**
 * A request body checked against a control-plane shape (lenient), as the AWS front end words it:
 * `2 validation errors detected: Value at 'name' failed to satisfy constraint: Member must …; …`.
 * List positions are 1-based with `.member`, as in the service's own messages. Undefined when valid.
 */
export function controlPlaneValidationMessage(shapeName: string, body: unknown): string | undefined {
  const result = schemaForShape(shapeName, "lenient").safeParse(body);
  if (result.success) return undefined;
  const parts = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? `${p + 1}.member` : p)).join(".");
    let rule = issue.message;
    if (issue.code === "invalid_type") {
      rule = issue.received === "undefined" || issue.received === "null" ? "Member must not be null" : `Member must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    }
    return `Value at '${path}' failed to satisfy constraint: ${rule}`;
  });
  return `${parts.length} validation error${parts.length === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}
