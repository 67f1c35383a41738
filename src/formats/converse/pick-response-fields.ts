// additionalModelResponseFieldPaths: JSON pointers (RFC 6901) into the upstream's native response.
// Bedrock answers them as one object that rebuilds each matched path (`/delta/stop_sequence` →
// `{"delta":{"stop_sequence":…}}`); a valid pointer that matches nothing is left out, a malformed one
// is a ValidationException.
import { validationError } from "../../core/errors.js";
import type { JsonValue } from "../../core/shapes.generated.js";

/** Pointers split into unescaped tokens; parse once per request, before calling the upstream. */
export type ParsedPointers = readonly (readonly string[])[];

// RFC 6901: empty, or `/`-separated tokens in which `~` only starts the escapes `~0` and `~1`. The model's
// documentation: Converse "reject[s] an empty JSON Pointer or incorrectly structured JSON Pointer with a 400".
const POINTER = /^(\/([^~/]|~[01])*)+$/;

/** Throws the ValidationException for the first path that is not a well-formed, non-empty JSON pointer. */
export function checkResponseFieldPaths(paths: readonly string[] | undefined): void {
  for (const path of paths ?? []) {
    if (!POINTER.test(path)) {
      throw validationError(`The additionalModelResponseFieldPaths value ${path} is not a valid JSON pointer. Use a JSON pointer such as /stop_sequence and try again.`);
    }
  }
}

export function parseResponseFieldPaths(paths: readonly string[] | undefined): ParsedPointers | undefined {
  if (!paths || paths.length === 0) return undefined;
  checkResponseFieldPaths(paths);
  return paths.map((path) => path.slice(1).split("/").map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~")));
}

/** The fields the pointers select from `response`, rebuilt as nested objects; undefined when none matched. */
export function pickResponseFields(response: unknown, pointers: ParsedPointers | undefined): Record<string, JsonValue> | undefined {
  if (!pointers) return undefined;
  let out: Record<string, JsonValue> | undefined;
  for (const tokens of pointers) {
    const value = resolve(response, tokens);
    if (value === undefined || tokens.length === 0) continue;
    out ??= {};
    let target: Record<string, JsonValue> = out;
    for (let i = 0; i < tokens.length - 1; i++) {
      const existing = target[tokens[i]];
      if (existing === null || typeof existing !== "object" || Array.isArray(existing)) target[tokens[i]] = {};
      target = target[tokens[i]] as Record<string, JsonValue>;
    }
    target[tokens[tokens.length - 1]] = value as JsonValue;
  }
  return out;
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

function resolve(value: unknown, tokens: readonly string[]): unknown {
  let current = value;
  for (const token of tokens) {
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined;
      current = current[Number(token)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    }
  }
  return current;
}
