// The part of JSON Schema echo needs for structured output and strict tools: checking a value against a
// schema (type, properties, required, additionalProperties, items, enum, const, bounds, anyOf/oneOf/allOf,
// local $ref) and building the smallest instance of one. Keywords outside this subset are ignored, so a
// schema echo cannot judge never fails a request.
import type { JsonValue } from "../../core/shapes.generated.js";

export type Schema = { [key: string]: JsonValue };

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);
const MAX_DEPTH = 32;

/** `#/$defs/x` or `#/definitions/x` within the root schema. */
function resolveRef(root: Schema, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < MAX_DEPTH; hops++) {
    const path = current.$ref.replace(/^#\/?/, "").split("/").filter(Boolean).map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
    let target: JsonValue = root;
    for (const token of path) target = isSchema(target) ? target[token] : null;
    if (!isSchema(target)) return {};
    current = target;
  }
  return current;
}

function typeOf(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

const typeMatches = (wanted: string, actual: string) => wanted === actual || (wanted === "number" && actual === "integer");

/** The first problem with `value` under `schema`, as `#/pointer: problem`, or undefined when it conforms. */
export function firstProblem(value: JsonValue, schema: Schema, root: Schema = schema, at = "#", depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const s = resolveRef(root, schema);
  const types = Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === "string") : typeof s.type === "string" ? [s.type] : [];
  const actual = typeOf(value);
  if (types.length > 0 && !types.some((t) => typeMatches(t, actual))) return `${at}: expected type ${types.join(" or ")}, found ${actual}`;
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return `${at}: value is not one of the enum values`;
  if ("const" in s && JSON.stringify(s.const) !== JSON.stringify(value)) return `${at}: value is not the const value`;
  for (const sub of Array.isArray(s.allOf) ? s.allOf : []) {
    if (isSchema(sub)) {
      const p = firstProblem(value, sub, root, at, depth + 1);
      if (p) return p;
    }
  }
  const alternatives = [...(Array.isArray(s.anyOf) ? s.anyOf : []), ...(Array.isArray(s.oneOf) ? s.oneOf : [])].filter(isSchema);
  if (alternatives.length > 0 && alternatives.every((alt) => firstProblem(value, alt, root, at, depth + 1) !== undefined)) {
    return `${at}: value matches none of the alternatives`;
  }
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && value.length < s.minLength) return `${at}: shorter than ${s.minLength} characters`;
    if (typeof s.maxLength === "number" && value.length > s.maxLength) return `${at}: longer than ${s.maxLength} characters`;
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) return `${at}: less than ${s.minimum}`;
    if (typeof s.maximum === "number" && value > s.maximum) return `${at}: greater than ${s.maximum}`;
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) return `${at}: fewer than ${s.minItems} items`;
    if (typeof s.maxItems === "number" && value.length > s.maxItems) return `${at}: more than ${s.maxItems} items`;
    if (isSchema(s.items)) {
      for (let i = 0; i < value.length; i++) {
        const p = firstProblem(value[i], s.items, root, `${at}/${i}`, depth + 1);
        if (p) return p;
      }
    }
  }
  if (isSchema(value)) {
    const properties = isSchema(s.properties) ? s.properties : {};
    for (const name of Array.isArray(s.required) ? s.required : []) {
      if (typeof name === "string" && !(name in value)) return `${at}: required property ${name} is missing`;
    }
    for (const [name, v] of Object.entries(value)) {
      const sub = properties[name];
      if (isSchema(sub)) {
        const p = firstProblem(v, sub, root, `${at}/${name}`, depth + 1);
        if (p) return p;
      } else if (s.additionalProperties === false) {
        return `${at}: property ${name} is not allowed`;
      }
    }
  }
  return undefined;
}

/** Fills strings in order from a list of words (the prompt's tokens), cycling; "echo" when there are none. */
export class WordSource {
  #next = 0;
  constructor(private readonly words: readonly string[]) {}
  take(): string {
    if (this.words.length === 0) return "echo";
    return this.words[this.#next++ % this.words.length];
  }
}

/** The smallest instance of `schema`: required properties only, minItems items, the lower bound of numbers. */
export function minimalInstance(schema: Schema, words: WordSource, root: Schema = schema, depth = 0): JsonValue {
  const s = resolveRef(root, schema);
  if (depth > MAX_DEPTH) return null;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const first = [...(Array.isArray(s.anyOf) ? s.anyOf : []), ...(Array.isArray(s.oneOf) ? s.oneOf : [])].find(isSchema);
  if (first) return minimalInstance(first, words, root, depth + 1);
  if (Array.isArray(s.allOf)) {
    const merged: Schema = {};
    for (const sub of s.allOf) if (isSchema(sub)) Object.assign(merged, resolveRef(root, sub));
    return minimalInstance(merged, words, root, depth + 1);
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const type = types.find((t) => typeof t === "string" && t !== "null") ?? (types.includes("null") ? "null" : isSchema(s.properties) ? "object" : "string");
  switch (type) {
    case "object": {
      const out: Record<string, JsonValue> = {};
      const properties = isSchema(s.properties) ? s.properties : {};
      for (const name of Array.isArray(s.required) ? s.required : []) {
        const sub = typeof name === "string" ? properties[name] : undefined;
        if (typeof name === "string") out[name] = minimalInstance(isSchema(sub) ? sub : {}, words, root, depth + 1);
      }
      return out;
    }
    case "array": {
      const n = typeof s.minItems === "number" ? s.minItems : 0;
      return Array.from({ length: n }, () => minimalInstance(isSchema(s.items) ? s.items : {}, words, root, depth + 1));
    }
    case "integer":
    case "number": {
      const low = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : 0;
      return type === "integer" ? Math.ceil(low) : low;
    }
    case "boolean": return false;
    case "null": return null;
    default: {
      let text = words.take();
      const min = typeof s.minLength === "number" ? s.minLength : 0;
      while (text.length < min) text += ` ${words.take()}`;
      return typeof s.maxLength === "number" ? text.slice(0, s.maxLength) : text;
    }
  }
}

/**
 * The first object schema that does not close itself with `additionalProperties: false`, as a path like
 * `properties.a` ("" for the root) — what Claude's strict mode refuses.
 */
export function openObjectAt(schema: Schema, path = "", depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const isObjectType = schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object")) || isSchema(schema.properties);
  if (isObjectType && schema.additionalProperties !== false) return path;
  for (const key of ["properties", "$defs", "definitions"]) {
    const group = schema[key];
    if (!isSchema(group)) continue;
    for (const [name, sub] of Object.entries(group)) {
      if (!isSchema(sub)) continue;
      const found = openObjectAt(sub, `${path ? `${path}.` : ""}${key}.${name}`, depth + 1);
      if (found !== undefined) return found;
    }
  }
  if (isSchema(schema.items)) return openObjectAt(schema.items, `${path ? `${path}.` : ""}items`, depth + 1);
  return undefined;
}

/** The first array schema with `maxItems` (a keyword Claude's structured output refuses), as a path. */
export function maxItemsAt(schema: Schema, path = "", depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if ((schema.type === "array" || isSchema(schema.items)) && "maxItems" in schema) return path;
  for (const key of ["properties", "$defs", "definitions"]) {
    const group = schema[key];
    if (!isSchema(group)) continue;
    for (const [name, sub] of Object.entries(group)) {
      if (!isSchema(sub)) continue;
      const found = maxItemsAt(sub, `${path ? `${path}.` : ""}${key}.${name}`, depth + 1);
      if (found !== undefined) return found;
    }
  }
  if (isSchema(schema.items)) return maxItemsAt(schema.items, `${path ? `${path}.` : ""}items`, depth + 1);
  return undefined;
}
