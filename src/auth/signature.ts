// The SigV4 signature itself: the credential scope, the derived signing key (cached: it changes once a day
// per key, region and service, and deriving it is four HMACs) and the HMAC of the string to sign.
import { createHmac, hash } from "node:crypto";
import { sha256Hex } from "./canonical-request.js";

export const ALGORITHM = "AWS4-HMAC-SHA256";

export interface CredentialScope {
  readonly accessKeyId: string;
  /** YYYYMMDD */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** `date/region/service/aws4_request`, as the string to sign has it. */
  readonly path: string;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

// A client sends the same credential string all day, so its parse is kept, and the signing key (four HMACs)
// hangs off it. Bounded: the credential string is the client's choice, known key or not.
const MAX_CACHED_SCOPES = 512;
const scopes = new Map<string, CredentialScope>();
const keys = new WeakMap<CredentialScope, SigningState>();

// HMAC-SHA256 (RFC 2104) is H((K ^ opad) || H((K ^ ipad) || m)). The request's HMAC is computed as those two
// one-shot hashes over buffers kept with the signing key: an Hmac object per request (a native object, its key
// imported again each time) cost ~11 µs of a verification in the server against ~5 µs for two hashes.
const BLOCK = 64;
const DIGEST = 32;
const AMZ_DATE_LENGTH = 16; // YYYYMMDDTHHMMSSZ
const HEX_DIGEST_LENGTH = 64;

/**
 * A signing key's two HMAC inputs, laid out once. For one scope the string to sign always has the same
 * length — `AWS4-HMAC-SHA256\n<date>\n<scope path>\n<hex hash>` — so `inner` is the inner pad followed by
 * that string, and a verification only writes its date and canonical-request hash into it. `outer` is the
 * outer pad followed by room for the inner digest.
 */
interface SigningState {
  readonly secret: string;
  readonly inner: Buffer;
  readonly outer: Buffer;
  readonly dateAt: number;
  readonly hashAt: number;
  /** The X-Amz-Date now in `inner` (requests of one second share it: the write is skipped). */
  date: string;
}

function signingState(secret: string, scope: CredentialScope): SigningState {
  const key = signingKey(secret, scope.date, scope.region, scope.service);
  const prefix = `${ALGORITHM}\n`;
  const middle = `\n${scope.path}\n`;
  const dateAt = BLOCK + prefix.length;
  const hashAt = dateAt + AMZ_DATE_LENGTH + Buffer.byteLength(middle, "utf8");
  const inner = Buffer.alloc(hashAt + HEX_DIGEST_LENGTH, 0x36);
  const outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i] ^= key[i];
    outer[i] ^= key[i];
  }
  inner.write(prefix, BLOCK, "latin1");
  inner.write(middle, dateAt + AMZ_DATE_LENGTH, "utf8");
  return { secret, inner, outer, dateAt, hashAt, date: "" };
}

function cachedState(secret: string, scope: CredentialScope): SigningState {
  const hit = keys.get(scope);
  if (hit && hit.secret === secret) return hit;
  const state = signingState(secret, scope);
  keys.set(scope, state);
  return state;
}

/** Hex HMAC of the string to sign for `amzDate` (a validated X-Amz-Date) and a canonical request's hex hash. */
function stringToSignHmacHex(state: SigningState, amzDate: string, canonicalRequestHash: string): string {
  // Both are ASCII: the date matched its pattern, the hash is hex. Verifications run one at a time
  // (synchronously), so the shared buffers are never written by two at once.
  if (state.date !== amzDate) {
    state.inner.write(amzDate, state.dateAt, "latin1");
    state.date = amzDate;
  }
  state.inner.write(canonicalRequestHash, state.hashAt, "latin1");
  // The inner digest as a one-byte string written straight into place: a Buffer made by the native side
  // would be an external allocation per request, which the GC tracks and counts.
  state.outer.write(hash("sha256", state.inner, "binary"), BLOCK, "latin1");
  return hash("sha256", state.outer, "hex");
}

/** Parses `AKID/YYYYMMDD/region/service/aws4_request`. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const known = scopes.get(credential);
  if (known) return known;
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !/^\d{8}$/.test(parts[1]) || !parts[2] || !parts[3] || !parts[0]) {
    return undefined;
  }
  const [accessKeyId, date, region, service] = parts;
  const scope = Object.freeze({ accessKeyId, date, region, service, path: `${date}/${region}/${service}/aws4_request` });
  if (scopes.size >= MAX_CACHED_SCOPES) scopes.clear();
  scopes.set(credential, scope);
  return scope;
}

/**
 * True when `signatureHex` (or its 64 characters from `signatureAt`, when given: the header it came in, read in place) is the
 * signature of `canonicalRequest` under `secret`, compared in constant time.
 */
export function signatureMatches(opts: {
  canonicalRequest: string;
  amzDate: string;
  scope: CredentialScope;
  secret: string;
  signatureHex: string;
  signatureAt?: number;
}): boolean {
  const { scope } = opts;
  // A date of any other length cannot have matched X-Amz-Date's pattern: it cannot be a valid signature.
  if (opts.amzDate.length !== AMZ_DATE_LENGTH) return false;
  const expected = stringToSignHmacHex(cachedState(opts.secret, scope), opts.amzDate, sha256Hex(opts.canonicalRequest));
  const at = opts.signatureAt ?? 0;
  return sameText(expected, opts.signatureHex, at, opts.signatureAt === undefined ? opts.signatureHex.length : HEX_DIGEST_LENGTH);
}

/**
 * Whether `a` equals the `length` characters of `b` from `at`, compared in time that depends only on the
 * lengths (no early exit on the first difference).
 */
function sameText(a: string, b: string, at: number, length: number): boolean {
  if (length !== a.length || b.length < at + length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(at + i);
  return diff === 0;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

// Requests signed within the same second carry the same X-Amz-Date: the last one parsed is kept.
let lastAmzDate: { text: string; ms: number } | undefined;

/** X-Amz-Date (`YYYYMMDDTHHMMSSZ`) as epoch milliseconds. */
export function parseAmzDateMs(text: string): number | undefined {
  if (lastAmzDate?.text === text) return lastAmzDate.ms;
  const date = parseAmzDateText(text);
  if (!date) return undefined;
  lastAmzDate = { text, ms: date.getTime() };
  return lastAmzDate.ms;
}

export function parseAmzDate(text: string): Date | undefined {
  const ms = parseAmzDateMs(text);
  return ms === undefined ? undefined : new Date(ms);
}

function parseAmzDateText(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
