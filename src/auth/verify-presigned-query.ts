// Verifies a SigV4 signature carried in the query string (a presigned URL): X-Amz-Algorithm, -Credential,
// -Date, -Expires, -SignedHeaders and -Signature as parameters, the signature itself left out of the
// canonical query. Used for presigned requests and for short-term Bedrock API keys, which are presigned
// URLs (verify-short-term-key.ts).
import { canonicalQueryOf, canonicalUri, isHexSha256, parseQuery, type RawHeaders } from "./canonical-request.js";
import { ALGORITHM, formatAmzDate, parseAmzDate, parseCredential, signatureMatches } from "./signature.js";
import {
  FIFTEEN_MINUTES, SIGNATURE_MISMATCH, UNRECOGNIZED_CLIENT, canonicalHeaders, fail, type SigV4Result,
} from "./verify-sigv4.js";

export interface PresignedRequest {
  method: string;
  /** The percent-encoded path as sent, without the query. */
  rawPath: string;
  /** The raw query string (without `?`). */
  rawQuery: string;
  headers: RawHeaders;
  /** Payload hashes to try, in order: the body's hash; for tokens also UNSIGNED-PAYLOAD. */
  payloadHashes: () => readonly string[];
}

export interface PresignedOptions {
  secretFor: (accessKeyId: string) => string | undefined;
  service?: string;
  now?: Date;
  maxSkewMs?: number;
  /** Longest X-Amz-Expires accepted, seconds (SigV4 allows a week). */
  maxExpiresSeconds?: number;
}

export type PresignedResult = SigV4Result & { expiresAt?: Date };

const REQUIRED = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"];
const ONE_WEEK_SECONDS = 7 * 24 * 3600;

/** Whether a query string carries a presigned SigV4 signature at all. */
export function hasPresignedSignature(rawQuery: string): boolean {
  return rawQuery.includes("X-Amz-Algorithm=") || rawQuery.includes("X-Amz-Signature=");
}

export function verifyPresignedQuery(req: PresignedRequest, opts: PresignedOptions): PresignedResult {
  const pairs = parseQuery(req.rawQuery);
  const param = (name: string): string | undefined => pairs.find(([k]) => k === name)?.[1];
  const missing = REQUIRED.filter((name) => param(name) === undefined);
  if (missing.length > 0) {
    return fail("IncompleteSignatureException", `AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(", ")}. Re-examine the query-string parameters.`);
  }
  if (param("X-Amz-Algorithm") !== ALGORITHM) {
    return fail("IncompleteSignatureException", `Unsupported AWS 'algorithm': '${param("X-Amz-Algorithm")}'.`);
  }
  const signature = param("X-Amz-Signature")!;
  if (!isHexSha256(signature)) return fail("InvalidSignatureException", SIGNATURE_MISMATCH);
  const credential = param("X-Amz-Credential")!;
  const scope = parseCredential(credential);
  if (!scope) return fail("IncompleteSignatureException", `Credential should be scoped to a valid region: ${credential}`);
  if (opts.service !== undefined && scope.service !== opts.service) {
    return fail("InvalidSignatureException", `Credential should be scoped to correct service: '${opts.service}'.`);
  }
  const amzDateText = param("X-Amz-Date")!;
  const amzDate = parseAmzDate(amzDateText);
  if (!amzDate) return fail("IncompleteSignatureException", `Unable to parse 'X-Amz-Date': '${amzDateText}'.`);
  if (!amzDateText.startsWith(scope.date)) {
    return fail("InvalidSignatureException", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDateText.slice(0, 8)}'`);
  }
  const expiresText = param("X-Amz-Expires")!;
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
  const maxExpires = opts.maxExpiresSeconds ?? ONE_WEEK_SECONDS;
  if (!(expires > 0 && expires <= maxExpires)) {
    return fail("InvalidSignatureException", `X-Amz-Expires must be between 1 and ${maxExpires} seconds: '${expiresText}'.`);
  }
  const now = opts.now ?? new Date();
  const skew = opts.maxSkewMs ?? FIFTEEN_MINUTES;
  if (amzDate.getTime() > now.getTime() + skew) {
    return fail("InvalidSignatureException", `Signature not yet current: ${amzDateText} is still later than ${formatAmzDate(new Date(now.getTime() + skew))} (${formatAmzDate(now)} + ${Math.round(skew / 60_000)} min.)`);
  }
  const expiresAt = new Date(amzDate.getTime() + expires * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    return {
      ...fail("InvalidSignatureException", `Signature expired: ${amzDateText} is now earlier than ${formatAmzDate(new Date(now.getTime() - expires * 1000))} (${formatAmzDate(now)} - ${expires} sec.)`),
      expiresAt,
    };
  }

  const secret = opts.secretFor(scope.accessKeyId);
  if (secret === undefined) return fail("UnrecognizedClientException", UNRECOGNIZED_CLIENT);

  const signedHeaderList = param("X-Amz-SignedHeaders")!;
  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host") && !signedHeaders.includes(":authority")) {
    return fail("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const headerBlock = canonicalHeaders(req.headers, signedHeaders);
  if (headerBlock === undefined) return fail("InvalidSignatureException", SIGNATURE_MISMATCH);
  const head = [req.method.toUpperCase(), canonicalUri(req.rawPath), canonicalQueryOf(pairs, "X-Amz-Signature"), headerBlock, signedHeaderList].join("\n");
  for (const payloadHash of req.payloadHashes()) {
    if (signatureMatches({ canonicalRequest: `${head}\n${payloadHash}`, amzDate: amzDateText, scope, secret, signatureHex: signature })) {
      return { ok: true, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, signedHeaders, expiresAt };
    }
  }
  return fail("InvalidSignatureException", SIGNATURE_MISMATCH);
}
