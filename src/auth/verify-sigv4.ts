// Verifies an AWS Signature Version 4 `Authorization` header as the server sees the request (DIGEST §12.1).
// Used by inbound auth (authenticate.ts) and by the tests to check what an upstream received. Deliberately
// independent of @smithy/signature-v4 so a signing bug there cannot hide behind the same bug here.
import {
  canonicalHeaderValue, canonicalQuery, canonicalUri, isHexSha256, sha256Hex, EMPTY_SHA256, type RawHeaders,
} from "./canonical-request.js";
import { ALGORITHM, formatAmzDate, parseAmzDateMs, signatureMatches } from "./signature.js";
import { parseAuthorization } from "./authorization-header.js";

export { canonicalUri, canonicalQuery } from "./canonical-request.js";
export { signingKey } from "./signature.js";

export interface SignedRequest {
  method: string;
  /** The request target exactly as received: percent-encoded path plus optional `?query`. */
  path: string;
  /** Header names lower-case, as Node gives them; HTTP/2 requests include `:authority`. */
  headers: RawHeaders;
  /** The body; may be omitted when `bodySha256` is given. */
  body?: Uint8Array;
  /**
   * The hex SHA-256 the body has (computed), or must have (the declared x-amz-content-sha256, which the caller
   * has checked is one and checks the body against as it arrives).
   */
  bodySha256?: string;
}

export interface VerifyOptions {
  /** The secret access key of an access key id, or undefined when the key is unknown. */
  secretFor: (accessKeyId: string) => string | undefined;
  /** Expected signing name, e.g. `bedrock`; any when omitted. */
  service?: string;
  /** Expected region; any when omitted. */
  region?: string;
  now?: Date;
  /** Allowed clock skew either way; AWS allows 15 minutes. */
  maxSkewMs?: number;
}

export type SigV4ErrorName =
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException";

export type SigV4Result =
  | { ok: true; accessKeyId: string; region: string; service: string; signedHeaders: readonly string[] }
  | { ok: false; error: SigV4ErrorName; message: string };

export const FIFTEEN_MINUTES = 15 * 60_000;

export const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
export const UNRECOGNIZED_CLIENT = "The security token included in the request is invalid.";

export const fail = (error: SigV4ErrorName, message: string): SigV4Result => ({ ok: false, error, message });

export function bodyHash(req: SignedRequest): string {
  if (req.bodySha256 !== undefined) return req.bodySha256;
  return req.body && req.body.length > 0 ? sha256Hex(req.body) : EMPTY_SHA256;
}

/** The skew check AWS applies to X-Amz-Date, with its messages. */
export function checkSkew(amzDateText: string, amzDateMs: number, nowMs: number, skew: number): SigV4Result | undefined {
  if (amzDateMs < nowMs - skew) {
    return fail("InvalidSignatureException", `Signature expired: ${amzDateText} is now earlier than ${formatAmzDate(new Date(nowMs - skew))} (${formatAmzDate(new Date(nowMs))} - ${Math.round(skew / 60_000)} min.)`);
  }
  if (amzDateMs > nowMs + skew) {
    return fail("InvalidSignatureException", `Signature not yet current: ${amzDateText} is still later than ${formatAmzDate(new Date(nowMs + skew))} (${formatAmzDate(new Date(nowMs))} + ${Math.round(skew / 60_000)} min.)`);
  }
  return undefined;
}

/** Canonical header block for the signed header names, or undefined when one of them is missing. */
export function canonicalHeaders(headers: RawHeaders, signedHeaders: readonly string[]): string | undefined {
  let block = "";
  for (const name of signedHeaders) {
    const v = canonicalHeaderValue(headers, name);
    if (v === undefined) return undefined;
    block += `${name}:${v}\n`;
  }
  return block;
}

export function verifySigV4(req: SignedRequest, opts: VerifyOptions): SigV4Result {
  // Not folded: the pattern below allows any whitespace between its parts, and none may occur inside them
  // (folding scanned the header's ~200 characters on every request).
  const rawAuthorization = req.headers.authorization;
  const authorization = typeof rawAuthorization === "string" ? rawAuthorization.trim() : canonicalHeaderValue(req.headers, "authorization");
  if (!authorization) return fail("MissingAuthenticationTokenException", "Missing Authentication Token");
  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    return authorization.startsWith(ALGORITHM)
      ? fail("IncompleteSignatureException", `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${ALGORITHM}`)
      : fail("IncompleteSignatureException", "Unsupported authorization scheme; expected AWS4-HMAC-SHA256.");
  }
  const { head } = parsed;
  const { scope, signedHeaders, signedHeaderList } = head;
  if (!scope) return fail("IncompleteSignatureException", `Credential should be scoped to a valid region: ${head.credential}`);
  if (opts.service !== undefined && scope.service !== opts.service) {
    return fail("InvalidSignatureException", `Credential should be scoped to correct service: '${opts.service}'.`);
  }
  if (opts.region !== undefined && scope.region !== opts.region) {
    return fail("InvalidSignatureException", `Credential should be scoped to a valid region. `);
  }

  const amzDateText = canonicalHeaderValue(req.headers, "x-amz-date");
  const amzDateMs = amzDateText ? parseAmzDateMs(amzDateText) : undefined;
  if (!amzDateText || amzDateMs === undefined) {
    return fail("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!amzDateText.startsWith(scope.date)) {
    return fail("InvalidSignatureException", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDateText.slice(0, 8)}'`);
  }
  const skewed = checkSkew(amzDateText, amzDateMs, opts.now?.getTime() ?? Date.now(), opts.maxSkewMs ?? FIFTEEN_MINUTES);
  if (skewed) return skewed;

  const secret = opts.secretFor(scope.accessKeyId);
  if (secret === undefined) return fail("UnrecognizedClientException", UNRECOGNIZED_CLIENT);

  if (!signedHeaders.includes("host") && !signedHeaders.includes(":authority")) {
    return fail("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const headerBlock = canonicalHeaders(req.headers, signedHeaders);
  if (headerBlock === undefined) return fail("InvalidSignatureException", SIGNATURE_MISMATCH);

  // The declared payload hash is signed, so it must also be the body's real hash (or the body could be swapped).
  const declared = canonicalHeaderValue(req.headers, "x-amz-content-sha256");
  let payloadHash: string;
  if (declared !== undefined && declared === req.bodySha256) {
    // The declared hash the caller has already checked (a hex SHA-256 the body is held to).
    payloadHash = declared;
  } else if (declared !== undefined && !isHexSha256(declared)) {
    // UNSIGNED-PAYLOAD, STREAMING-…: the body is not covered by this signature (the event stream's
    // frames carry their own); anything else is not a payload hash at all.
    if (declared !== "UNSIGNED-PAYLOAD" && !declared.startsWith("STREAMING-")) {
      return fail("InvalidSignatureException", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-EVENTS or a valid sha256 value.");
    }
    payloadHash = declared;
  } else {
    payloadHash = bodyHash(req);
    if (declared !== undefined && declared !== payloadHash) {
      return fail("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }

  const q = req.path.indexOf("?");
  const uri = canonicalUri(q === -1 ? req.path : req.path.slice(0, q));
  const query = q === -1 ? "" : canonicalQuery(req.path.slice(q + 1));
  const canonicalRequest = `${req.method.toUpperCase()}\n${uri}\n${query}\n${headerBlock}\n${signedHeaderList}\n${payloadHash}`;
  if (!signatureMatches({ canonicalRequest, amzDate: amzDateText, scope, secret, signatureHex: parsed.header, signatureAt: parsed.signatureAt })) {
    return fail("InvalidSignatureException", SIGNATURE_MISMATCH);
  }
  return { ok: true, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, signedHeaders };
}
