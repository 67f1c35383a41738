// The response cache's key: the served model, the kind of answer (a whole one or a stream) and the request
// in canonical form — object keys sorted, no insignificant whitespace (the request was parsed from JSON, so
// its whitespace is already gone) — hashed, so two requests that mean the same get the same key whatever
// order their keys came in. `requestMetadata` is left out: it labels a call for logs and never changes
// the answer.
import { hash } from "node:crypto";
import type { ConverseInput } from "../../../core/model.js";

export type AnswerKind = "converse" | "stream";

/** JSON with every object's keys in sorted order (arrays keep theirs: their order is meaning). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof Uint8Array) return JSON.stringify({ $bytes: Buffer.from(value).toString("base64") });
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === "function") continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

export function cacheKey(servedModelId: string, kind: AnswerKind, input: ConverseInput): string {
  const { requestMetadata: _labels, ...request } = input;
  // One-shot: the same digest as the two updates it was computed with before (keys already stored stay
  // valid), without a Hash object per request.
  return `response-cache:v1:${hash("sha256", JSON.stringify([servedModelId, kind]) + canonicalJson(request), "base64url")}`;
}
