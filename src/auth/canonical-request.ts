// The pieces of a SigV4 canonical request as AWS (non-S3) builds them from what arrived on the wire
// (DIGEST §12.1): the already-encoded path encoded again, the query sorted and RFC 3986-encoded, header
// values trimmed with inner whitespace folded.
import { hash } from "node:crypto";
import { boundedMemo } from "../core/bounded-memo.js";

export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

const SPACES = /\s+/g;
const RESERVED = /[!'()*]/g;
const ALREADY_ENCODED = /^[A-Za-z0-9\-._~%]*$/;
const PERCENT = /%/g;

/** RFC 3986 encoding as AWS applies it: everything but A–Z a–z 0–9 - _ . ~ */
export function escape(text: string): string {
  return encodeURIComponent(text).replace(RESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// A client calls the same few paths (one per model and operation) over and over: their canonical form is
// kept. Bounded, as paths are the client's choice.
const MAX_CACHED_URIS = 256;

/** Non-S3 services encode the already-encoded path a second time, after removing empty, `.` and `..` segments. */
export const canonicalUri: (rawPath: string) => string = boundedMemo((rawPath) => encodePath(rawPath), MAX_CACHED_URIS);

function encodePath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    // A segment already percent-encoded by the client (the usual case) needs only its '%' encoded again.
    else segments.push(ALREADY_ENCODED.test(segment) ? segment.replace(PERCENT, "%25") : escape(segment));
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return "/" + segments.join("/") + trailing;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** The query's parameters, decoded, in arrival order. */
export function parseQuery(rawQuery: string): Array<[key: string, value: string]> {
  if (rawQuery === "") return [];
  const pairs: Array<[string, string]> = [];
  for (const p of rawQuery.split("&")) {
    if (p === "") continue;
    const eq = p.indexOf("=");
    pairs.push(eq === -1 ? [safeDecode(p), ""] : [safeDecode(p.slice(0, eq)), safeDecode(p.slice(eq + 1))]);
  }
  return pairs;
}

/** Keys sorted, values RFC 3986-encoded; `omit` drops a parameter (the signature of a presigned URL). */
export function canonicalQueryOf(pairs: ReadonlyArray<readonly [string, string]>, omit?: string): string {
  const encoded = pairs.filter(([k]) => k !== omit).map(([k, v]) => [escape(k), escape(v)] as const);
  encoded.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join("&");
}

export function canonicalQuery(rawQuery: string): string {
  return rawQuery === "" ? "" : canonicalQueryOf(parseQuery(rawQuery));
}

/** One header as it enters the canonical request; HTTP/2's `:authority` and `host` stand in for each other. */
export function canonicalHeaderValue(headers: RawHeaders, name: string): string | undefined {
  let v = headers[name];
  if (v === undefined && name === "host") v = headers[":authority"];
  if (v === undefined && name === ":authority") v = headers.host;
  if (v === undefined) return undefined;
  if (typeof v === "string") return foldSpaces(v);
  return v.map(foldSpaces).join(",");
}

// Most values have nothing to fold; testing first spares the replace (and its new string) on the hot path.
const FOLDABLE = /\s\s|[\t\n\r\f\v]|^\s|\s$/;
function foldSpaces(value: string): string {
  return FOLDABLE.test(value) ? value.trim().replace(SPACES, " ") : value;
}

// crypto.hash: one call, no Hash object per use (the canonical request and the body are hashed per request).
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

/**
 * Whether a text is 64 lower-case hex digits (a hex SHA-256: a payload hash, a signature), or from `at` on,
 * its last 64 characters are. A loop over the character codes: it runs on the header and the signature of
 * every signed request. `at` spares a slice: a sliced string's characters are read through an indirection.
 */
export function isHexSha256(text: string, at = 0): boolean {
  if (text.length !== at + 64) return false;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** SHA-256 of an empty payload: what signers use when there is no body. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
