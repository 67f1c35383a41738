// What must never reach a cassette file: credentials (Authorization, API keys, x-amz-* security headers,
// access keys, bearer tokens, the provider's own configured secrets), account ids inside ARNs, and request
// ids. Applied to everything written — request and response, headers and bodies — and to the request
// before it is matched, so a scrubbed recording still matches the live request it came from.

const SCRUBBED = "[scrubbed]";
// Account ids are replaced, not removed, so an ARN stays well-formed.
const ACCOUNT = "000000000000";

/** Object keys whose string values are secrets (compared lower-case, without - and _). */
const SECRET_KEYS = new Set([
  "authorization", "proxyauthorization", "apikey", "xapikey", "password", "secret", "secretaccesskey", "accesskeyid",
  "sessiontoken", "xamzsecuritytoken", "token", "accesstoken", "refreshtoken", "bearertoken", "clientsecret", "cookie",
]);
/** Keys dropped altogether: request ids differ on every call and say who made it. */
const REQUEST_ID_KEYS = new Set(["requestid", "xamznrequestid", "xrequestid", "amzrequestid"]);

const ARN_ACCOUNT = /(arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:)\d{12}(?=[:/])/g;
const PATTERNS: readonly RegExp[] = [
  /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic keys
  /\bABSK[A-Za-z0-9+/=]{20,}/g, // Bedrock long-term API keys
  /\bbedrock-api-key-[A-Za-z0-9+/=_-]{20,}/g, // Bedrock short-term API keys
];
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;
// A SigV4 Authorization value (Credential=…, SignedHeaders=…, Signature=…): never natural text.
const SIGV4 = /\bAWS4-HMAC-SHA256\s+[^\n"]*/g;

const keyName = (k: string) => k.toLowerCase().replace(/[-_]/g, "");

export type Scrub = <T>(value: T) => T;

/** A scrubber that also removes these exact strings (a provider's configured API key, header values). */
export function createScrub(secrets: readonly string[] = []): Scrub {
  // Short strings would scrub ordinary words; real secrets are long.
  const known = [...new Set(secrets.filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);

  const scrubString = (s: string): string => {
    let out = s;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(SCRUBBED);
    for (const re of PATTERNS) out = out.replace(re, SCRUBBED);
    return out.replace(BEARER, `Bearer ${SCRUBBED}`).replace(SIGV4, `AWS4-HMAC-SHA256 ${SCRUBBED}`).replace(ARN_ACCOUNT, `$1${ACCOUNT}`);
  };

  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return scrubString(value);
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const name = keyName(k);
        if (REQUEST_ID_KEYS.has(name)) continue;
        out[k] = SECRET_KEYS.has(name) && typeof v === "string" ? SCRUBBED : scrub(v);
      }
      return out;
    }
    return value;
  };
  return scrub as Scrub;
}

/** Response or request headers worth keeping: no credentials, no x-amz-* / request ids, no hop-by-hop framing. */
export function keepHeader(name: string): boolean {
  const n = name.toLowerCase();
  if (n.startsWith("x-amz-") || n === "x-amzn-requestid" || n === "x-amzn-trace-id" || n === "x-request-id" || n === "request-id") return false;
  if (SECRET_KEYS.has(keyName(n)) || n === "set-cookie") return false;
  return !["content-length", "connection", "keep-alive", "transfer-encoding", "date"].includes(n);
}
