// The response cache's key: the served model, the kind of answer (a whole one or a stream) and the request
// in canonical form — object keys sorted, no insignificant whitespace (the request was parsed from JSON, so
// its whitespace is already gone) — hashed, so two requests that mean the same get the same key whatever
// order their keys came in. `requestMetadata` is left out: it labels a call for logs and never changes
// the answer.
import { hash } from "node:crypto";
import { boundedMemo } from "../../../core/bounded-memo.js";
import type { ConverseInput } from "../../../core/model.js";

export type AnswerKind = "converse" | "stream";

/** JSON with every object's keys in sorted order (arrays keep theirs: their order is meaning). */
export function canonicalJson(value: unknown): string {
  return appendCanonical("", value);
}

/** The canonical JSON of an object without one of its members (the same text as of a copy without it). */
function canonicalJsonWithout(value: Record<string, unknown>, omitted: string): string {
  return appendObject("", value, omitted);
}

// Requests use a small vocabulary of keys: each one's JSON form is kept rather than made per request.
// Bounded, as keys of free-form members (tool input, request metadata) are the client's choice.
const MAX_QUOTED_KEYS = 1024;
const quoted = boundedMemo((key) => JSON.stringify(key), MAX_QUOTED_KEYS);

// Appends to one string (a rope V8 flattens once, when it is hashed) instead of building and joining an
// array per object and per array: this runs on every call the response cache sees.
function appendCanonical(out: string, value: unknown): string {
  if (value === null || typeof value !== "object") return out + (JSON.stringify(value) ?? "null");
  if (value instanceof Uint8Array) return out + JSON.stringify({ $bytes: Buffer.from(value).toString("base64") });
  if (Array.isArray(value)) {
    out += "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const v: unknown = value[i];
      out = v === undefined ? out + "null" : appendCanonical(out, v);
    }
    return out + "]";
  }
  return appendObject(out, value as Record<string, unknown>);
}

function appendObject(out: string, value: Record<string, unknown>, omitted?: string): string {
  const keys = sortedInPlace(Object.keys(value));
  out += "{";
  let first = true;
  for (const key of keys) {
    if (key === omitted) continue;
    const v = value[key];
    if (v === undefined || typeof v === "function") continue;
    out += first ? quoted(key) + ":" : "," + quoted(key) + ":";
    first = false;
    out = appendCanonical(out, v);
  }
  return out + "}";
}

/**
 * Sorts an object's keys (UTF-16 code unit order, as Array.prototype.sort compares strings) in place. A
 * request's objects have a handful of keys, often already in order: an insertion sort over them allocates
 * nothing, where `sort()` copies every array into a work area first (~3 KB per Converse request).
 */
function sortedInPlace(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

export function cacheKey(servedModelId: string, kind: AnswerKind, input: ConverseInput): string {
  // One-shot: the same digest as the two updates it was computed with before (keys already stored stay
  // valid), without a Hash object per request; requestMetadata is skipped in place (an object rest copy was
  // built by a slow runtime path per call).
  const request = canonicalJsonWithout(input as unknown as Record<string, unknown>, "requestMetadata");
  return `response-cache:v1:${hash("sha256", JSON.stringify([servedModelId, kind]) + request, "base64url")}`;
}
