// zod schemas built from the control-plane service model (spec/bedrock.service-2.json), so that guardrails
// in the config file are checked against exactly the constraints CreateGuardrail's request has, with no
// hand-copied list of members, enums, lengths or patterns to drift.
import { readFileSync } from "node:fs";
import { z } from "zod";

interface Ref { shape: string }
interface Shape {
  type: string; members?: Record<string, Ref>; required?: string[]; member?: Ref; key?: Ref; value?: Ref;
  enum?: string[]; min?: number; max?: number; pattern?: string; union?: boolean; document?: boolean;
}

// src/ and dist/ sit at the same depth, so this path works from both.
const model: { shapes: Record<string, Shape> } = JSON.parse(
  readFileSync(new URL("../../spec/bedrock.service-2.json", import.meta.url), "utf8"),
);

const cache = new Map<string, z.ZodTypeAny>();

/** A zod schema for a named shape of the control-plane model (recursive shapes resolve lazily). */
export function schemaForShape(name: string): z.ZodTypeAny {
  const cached = cache.get(name);
  if (cached) return cached;
  cache.set(name, z.lazy(() => schemaForShape(name)));
  const built = build(model.shapes[name]);
  cache.set(name, built);
  return built;
}

/** The members of a structure shape as a zod object shape, minus some. */
export function membersOf(name: string, omit: readonly string[] = []): Record<string, z.ZodTypeAny> {
  const s = model.shapes[name];
  const required = new Set(s.required ?? []);
  const out: Record<string, z.ZodTypeAny> = {};
  for (const [member, ref] of Object.entries(s.members ?? {})) {
    if (omit.includes(member)) continue;
    const schema = schemaForShape(ref.shape);
    out[member] = required.has(member) ? schema : schema.optional();
  }
  return out;
}

function build(s: Shape | undefined): z.ZodTypeAny {
  if (!s) throw new Error("shape missing from the control-plane model");
  if (s.document) return z.unknown();
  switch (s.type) {
    case "structure": {
      const members = Object.fromEntries(
        Object.entries(s.members ?? {}).map(([m, ref]) => [m, s.required?.includes(m) ? schemaForShape(ref.shape) : schemaForShape(ref.shape).optional()]),
      );
      const object = z.object(members).strict();
      return s.union
        ? object.refine((v) => Object.keys(v).length === 1, "must set exactly one member")
        : object;
    }
    case "list": {
      let list = z.array(schemaForShape(s.member!.shape));
      if (s.min !== undefined) list = list.min(s.min);
      if (s.max !== undefined) list = list.max(s.max);
      return list;
    }
    case "map": return z.record(schemaForShape(s.value!.shape));
    case "string": {
      if (s.enum) return z.enum(s.enum as [string, ...string[]]);
      let str = z.string();
      if (s.min !== undefined) str = str.min(s.min);
      if (s.max !== undefined) str = str.max(s.max);
      if (s.pattern) str = str.regex(new RegExp(`^(?:${s.pattern})$`));
      return str;
    }
    case "boolean": return z.boolean();
    case "integer": case "long": case "float": case "double": {
      let n = s.type === "integer" || s.type === "long" ? z.number().int() : z.number();
      if (s.min !== undefined) n = n.min(s.min);
      if (s.max !== undefined) n = n.max(s.max);
      return n;
    }
    default: return z.string(); // timestamps and blobs travel as strings
  }
}
