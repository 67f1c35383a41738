// The parts of a SigV4 `Authorization` header. A client sends the same header all day but for its last 64
// characters (the signature): everything before them — the credential scope and the signed-header list —
// is parsed once and found again by a Map lookup, instead of a regular expression, a split and a credential
// parse on every request.
import { isHexSha256 } from "./canonical-request.js";
import { parseCredential, type CredentialScope } from "./signature.js";

export interface AuthorizationHeader {
  readonly credential: string;
  /** Undefined when the credential is not `AKID/YYYYMMDD/region/service/aws4_request`. */
  readonly scope: CredentialScope | undefined;
  /** As sent (it enters the canonical request) and split. */
  readonly signedHeaderList: string;
  readonly signedHeaders: readonly string[];
}

const PATTERN = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;
const SIGNATURE_LENGTH = 64;

export interface ParsedAuthorization {
  readonly head: AuthorizationHeader;
  readonly signature: string;
  /** The header as sent, and where its 64-character signature starts in it (for a compare in place). */
  readonly header: string;
  readonly signatureAt: number;
}

// Keyed by the header's text before the signature. Bounded: the header is the client's choice.
const MAX_CACHED = 512;
const heads = new Map<string, AuthorizationHeader>();
// The head found last: a client sends one header all day, and comparing the new one's start with it (a
// memory compare) is several times cheaper than hashing that start for the Map (and cheaper than startsWith).
let last: { text: string; head: AuthorizationHeader } | undefined;

function knownHead(authorization: string, cut: number): AuthorizationHeader | undefined {
  const text = authorization.slice(0, cut);
  if (last !== undefined && text === last.text) return last.head;
  const head = heads.get(text);
  if (head) last = { text, head };
  return head;
}

/** The header's parts and its signature, or undefined when it is not a complete AWS4-HMAC-SHA256 header. */
export function parseAuthorization(authorization: string): ParsedAuthorization | undefined {
  const cut = authorization.length - SIGNATURE_LENGTH;
  if (cut > 0) {
    const head = knownHead(authorization, cut);
    // Same text before a 64-hex-digit tail: the pattern would match it the same way.
    if (head && isHexSha256(authorization, cut)) return { head, signature: authorization.slice(cut), header: authorization, signatureAt: cut };
  }
  const m = PATTERN.exec(authorization);
  if (!m) return undefined;
  const [, credential, signedHeaderList, signature] = m;
  const head: AuthorizationHeader = Object.freeze({
    credential,
    scope: parseCredential(credential),
    signedHeaderList,
    signedHeaders: Object.freeze(signedHeaderList.split(";")),
  });
  // Only a header that ends with its signature is found again by its text before the last 64 characters.
  if (authorization.endsWith(signature)) {
    if (heads.size >= MAX_CACHED) heads.clear();
    heads.set(authorization.slice(0, cut), head);
  }
  // The pattern allows whitespace after the signature: it ends where the match's last 64 hex digits are.
  return { head, signature, header: authorization, signatureAt: authorization.lastIndexOf(signature) };
}
