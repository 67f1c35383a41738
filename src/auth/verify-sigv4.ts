// Verifies an AWS Signature Version 4 `Authorization` header as the server sees the request (DIGEST §12.1).
// Used by the tests to check what an upstream received, and by the coming inbound auth. Deliberately
// independent of @smithy/signature-v4 so a signing bug there cannot hide behind the same bug here.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface SignedRequest {
  method: string;
  /** The request target exactly as received: percent-encoded path plus optional `?query`. */
  path: string;
  /** Header names lower-case, as Node gives them; HTTP/2 requests include `:authority`. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Uint8Array;
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
  | { ok: true; accessKeyId: string; region: string; service: string; signedHeaders: string[] }
  | { ok: false; error: SigV4ErrorName; message: string };

const ALGORITHM = "AWS4-HMAC-SHA256";
const AUTH_HEADER = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const SPACES = /\s+/g;
const RESERVED = /[!'()*]/g;
const FIFTEEN_MINUTES = 15 * 60_000;

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

const fail = (error: SigV4ErrorName, message: string): SigV4Result => ({ ok: false, error, message });

/** RFC 3986 encoding as AWS applies it: everything but A–Z a–z 0–9 - _ . ~ */
function escape(text: string): string {
  return encodeURIComponent(text).replace(RESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services encode the already-encoded path a second time, after removing empty, `.` and `..` segments. */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(escape(segment));
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

export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  const pairs = rawQuery
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const eq = p.indexOf("=");
      const key = eq === -1 ? p : p.slice(0, eq);
      const value = eq === -1 ? "" : p.slice(eq + 1);
      return [escape(safeDecode(key)), escape(safeDecode(value))] as const;
    });
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValue(headers: SignedRequest["headers"], name: string): string | undefined {
  let v = headers[name];
  // HTTP/2 carries the host as :authority; a client may have signed either name.
  if (v === undefined && name === "host") v = headers[":authority"];
  if (v === undefined && name === ":authority") v = headers.host;
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => x.trim().replace(SPACES, " ")).join(",");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function verifySigV4(req: SignedRequest, opts: VerifyOptions): SigV4Result {
  const authorization = headerValue(req.headers, "authorization");
  if (!authorization) return fail("MissingAuthenticationTokenException", "Missing Authentication Token");
  const auth = AUTH_HEADER.exec(authorization);
  if (!auth) {
    return authorization.startsWith(ALGORITHM)
      ? fail("IncompleteSignatureException", `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${ALGORITHM}`)
      : fail("IncompleteSignatureException", "Unsupported authorization scheme; expected AWS4-HMAC-SHA256.");
  }
  const [, credential, signedHeaderList, signature] = auth;
  const scopeParts = credential.split("/");
  if (scopeParts.length !== 5 || scopeParts[4] !== "aws4_request") {
    return fail("IncompleteSignatureException", `Credential should be scoped to a valid region: ${credential}`);
  }
  const [accessKeyId, scopeDate, region, service] = scopeParts;
  if (opts.service !== undefined && service !== opts.service) {
    return fail("InvalidSignatureException", `Credential should be scoped to correct service: '${opts.service}'.`);
  }
  if (opts.region !== undefined && region !== opts.region) {
    return fail("InvalidSignatureException", `Credential should be scoped to a valid region. `);
  }

  const amzDateText = headerValue(req.headers, "x-amz-date");
  const amzDate = amzDateText ? parseAmzDate(amzDateText) : undefined;
  if (!amzDateText || !amzDate) {
    return fail("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!amzDateText.startsWith(scopeDate)) {
    return fail("InvalidSignatureException", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDateText.slice(0, 8)}'`);
  }
  const now = opts.now ?? new Date();
  const skew = opts.maxSkewMs ?? FIFTEEN_MINUTES;
  const minutes = Math.round(skew / 60_000);
  if (amzDate.getTime() < now.getTime() - skew) {
    return fail("InvalidSignatureException", `Signature expired: ${amzDateText} is now earlier than ${formatAmzDate(new Date(now.getTime() - skew))} (${formatAmzDate(now)} - ${minutes} min.)`);
  }
  if (amzDate.getTime() > now.getTime() + skew) {
    return fail("InvalidSignatureException", `Signature not yet current: ${amzDateText} is still later than ${formatAmzDate(new Date(now.getTime() + skew))} (${formatAmzDate(now)} + ${minutes} min.)`);
  }

  const secret = opts.secretFor(accessKeyId);
  if (secret === undefined) return fail("UnrecognizedClientException", "The security token included in the request is invalid.");

  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host") && !signedHeaders.includes(":authority")) {
    return fail("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  let canonicalHeaders = "";
  for (const name of signedHeaders) {
    const v = headerValue(req.headers, name);
    if (v === undefined) return fail("InvalidSignatureException", MISMATCH);
    canonicalHeaders += `${name}:${v}\n`;
  }

  // The declared payload hash is signed, so it must also be the body's real hash (or the body could be swapped).
  const declared = headerValue(req.headers, "x-amz-content-sha256");
  let payloadHash: string;
  if (declared !== undefined && !HEX_SHA256.test(declared)) {
    payloadHash = declared; // UNSIGNED-PAYLOAD, STREAMING-…: the body is not covered by this signature.
  } else {
    payloadHash = sha256Hex(req.body);
    if (declared !== undefined && declared !== payloadHash) {
      return fail("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }

  const q = req.path.indexOf("?");
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(q === -1 ? req.path : req.path.slice(0, q)),
    canonicalQuery(q === -1 ? "" : req.path.slice(q + 1)),
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join("\n");
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDateText}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac("sha256", signingKey(secret, scopeDate, region, service)).update(stringToSign, "utf8").digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return fail("InvalidSignatureException", MISMATCH);
  return { ok: true, accessKeyId, region, service, signedHeaders };
}
