// Checking foreign JSON bodies (native InvokeModel bodies, Chat Completions and Anthropic Messages requests)
// against a small schema, with the messages of the JSON-schema validator Bedrock runs (everit), each
// starting with its JSON pointer, e.g. `#/messages/0: required key [role] not found`. The readers in
// formats/ collect problems into an IssueList; whoever owns the request turns them into its own error.

import { isObject, type JsonObject } from "../../core/json.js";

export { isObject, type JsonObject };

export type JsonType = "string" | "integer" | "number" | "boolean" | "array" | "object";

/** One property of a schema: its type(s) and, for numbers, an inclusive range; for strings, allowed values. */
export interface PropertyRule {
  type: JsonType | readonly JsonType[];
  min?: number;
  max?: number;
  enum?: readonly string[];
}

export interface ObjectSchema {
  required?: readonly string[];
  properties: Readonly<Record<string, PropertyRule>>;
  /** Keys not in `properties` are allowed (defaults to false: they are "extraneous"). */
  additional?: boolean;
}

/** The everit-validator name of a JSON value's type, as it appears in Bedrock's messages. */
export function typeName(v: unknown): string {
  if (v === null) return "Null";
  if (Array.isArray(v)) return "JSONArray";
  switch (typeof v) {
    case "string": return "String";
    case "number": return Number.isInteger(v) ? "Integer" : "BigDecimal";
    case "boolean": return "Boolean";
    default: return "JSONObject";
  }
}

const EXPECTED: Record<JsonType, string> = {
  string: "String", integer: "Integer", number: "Number", boolean: "Boolean", array: "JSONArray", object: "JSONObject",
};

function hasType(v: unknown, t: JsonType): boolean {
  switch (t) {
    case "string": return typeof v === "string";
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "number": return typeof v === "number" && Number.isFinite(v);
    case "boolean": return typeof v === "boolean";
    case "array": return Array.isArray(v);
    case "object": return isObject(v);
  }
}

/** Checks one value against a rule; returns the error (with its pointer) or undefined. */
export function checkValue(v: unknown, rule: PropertyRule, pointer: string): string | undefined {
  const types = typeof rule.type === "string" ? [rule.type] : rule.type;
  if (!types.some((t) => hasType(v, t))) {
    return `${pointer}: expected type: ${types.map((t) => EXPECTED[t]).join(" or ")}, found: ${typeName(v)}`;
  }
  if (typeof v === "number") {
    if (rule.min !== undefined && v < rule.min) return `${pointer}: ${v} is not greater or equal to ${rule.min}`;
    if (rule.max !== undefined && v > rule.max) return `${pointer}: ${v} is not less or equal to ${rule.max}`;
  }
  if (typeof v === "string" && rule.enum && !rule.enum.includes(v)) return `${pointer}: ${v} is not a valid enum value`;
  return undefined;
}

/** All schema errors of an object, in the validator's order: required keys, extraneous keys, then values. */
export function checkObject(v: JsonObject, schema: ObjectSchema, pointer = "#"): string[] {
  const errors: string[] = [];
  for (const key of schema.required ?? []) {
    if (v[key] === undefined) errors.push(`${pointer}: required key [${key}] not found`);
  }
  if (!schema.additional) {
    for (const key of Object.keys(v)) {
      if (!(key in schema.properties)) errors.push(`${pointer}: extraneous key [${key}] is not permitted`);
    }
  }
  for (const [key, rule] of Object.entries(schema.properties)) {
    if (v[key] === undefined) continue;
    const e = checkValue(v[key], rule, `${pointer}/${key}`);
    if (e) errors.push(e);
  }
  return errors;
}

/** Collects problems while walking a body, so one answer names every problem, as Bedrock's does. */
export class IssueList {
  readonly errors: string[] = [];
  add(...e: (string | undefined)[]): void {
    for (const x of e) if (x) this.errors.push(x);
  }
}

/**
 * Reads a native `messages` array: each entry must be an object meeting `schema`; `toContent` turns a valid
 * entry's content into Converse blocks. Problems are collected in `errors` with their JSON pointers.
 */
export function readMessages<M>(
  raw: unknown,
  schema: ObjectSchema,
  errors: IssueList,
  toMessage: (m: JsonObject, pointer: string) => M,
): M[] {
  const messages: M[] = [];
  if (!Array.isArray(raw)) return messages;
  raw.forEach((m, i) => {
    const pointer = `#/messages/${i}`;
    if (!isObject(m)) return errors.add(checkValue(m, { type: "object" }, pointer));
    const e = checkObject(m, schema, pointer);
    if (e.length) return errors.add(...e);
    messages.push(toMessage(m, pointer));
  });
  return messages;
}
