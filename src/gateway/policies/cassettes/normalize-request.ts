// The request as a cassette matches it: scrubbed, without volatile members, keys sorted. Two requests that
// differ only in key order, client tokens or request metadata find the same cassette; a hand-edited
// request in a file is normalized again when the directory is read, so it still matches.
import { createHash } from "node:crypto";
import type { Scrub } from "./scrub-secrets.js";

/** What a model was asked: which call, which served model, and the body (Converse input or relayed body). */
export interface CassetteRequest {
  /** converse | converseStream | countTokens | relay */
  call: string;
  model: string;
  /** relay only: the route's action (converse, invoke, invoke-with-response-stream, …). */
  action?: string;
  /** relay only: content-type, accept and x-amzn-bedrock-* headers as the client sent them. */
  headers?: Record<string, string>;
  body: unknown;
}

// Top-level members that change between identical calls without changing the answer.
const VOLATILE = new Set(["clientRequestToken", "requestMetadata"]);

/** JSON with object keys sorted at every level; undefined members dropped as JSON.stringify would. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function normalizeRequest(request: CassetteRequest, scrub: Scrub): CassetteRequest {
  let body = request.body;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    body = Object.fromEntries(Object.entries(body).filter(([k]) => !VOLATILE.has(k)));
  }
  return sortKeys(scrub({ ...request, body })) as CassetteRequest;
}

/** The matching key of a normalized request: a short hash of its canonical JSON. */
export function requestKey(normalized: CassetteRequest): string {
  return createHash("sha256").update(canonicalJson(normalized)).digest("hex").slice(0, 16);
}
