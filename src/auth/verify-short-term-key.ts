// Short-term Bedrock API keys, verified offline: `bedrock-api-key-` + base64 of a SigV4-presigned URL,
//   bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=…&X-Amz-Signature=…&Version=1
// as @aws/bedrock-token-generator and aws_bedrock_token_generator make them (≤ 12 h). The URL was signed
// with the access key it names, so a configured secret checks it without asking AWS. `&Version=1` is
// appended after signing and is not part of the signature.
import { EMPTY_SHA256 } from "./canonical-request.js";
import { verifyPresignedQuery } from "./verify-presigned-query.js";

export const SHORT_TERM_PREFIX = "bedrock-api-key-";
const ACTION = "CallWithBearerToken";
const TWELVE_HOURS_SECONDS = 12 * 3600;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// Signers that leave the payload out of a presigned URL sign this literal instead of the empty body's hash.
const PAYLOAD_HASHES = [EMPTY_SHA256, "UNSIGNED-PAYLOAD"] as const;

export type ShortTermKeyResult =
  | { ok: true; accessKeyId: string; region: string; expiresAt: Date }
  /** malformed: not a presigned CallWithBearerToken URL; unknown: no configured access key; invalid: bad signature. */
  | { ok: false; reason: "malformed" | "unknown-key" | "invalid" | "expired"; detail: string };

export function verifyShortTermKey(
  token: string,
  opts: { secretFor: (accessKeyId: string) => string | undefined; now?: Date },
): ShortTermKeyResult {
  const malformed = (detail: string): ShortTermKeyResult => ({ ok: false, reason: "malformed", detail });
  if (!token.startsWith(SHORT_TERM_PREFIX)) return malformed("missing prefix");
  const encoded = token.slice(SHORT_TERM_PREFIX.length);
  if (!BASE64.test(encoded)) return malformed("not base64");
  const url = Buffer.from(encoded, "base64").toString("utf8");
  const slash = url.indexOf("/");
  const q = url.indexOf("?");
  if (slash <= 0 || q < slash) return malformed("not a URL");
  const host = url.slice(0, slash);
  const rawPath = url.slice(slash, q);
  let rawQuery = url.slice(q + 1);
  if (rawQuery.endsWith("&Version=1")) rawQuery = rawQuery.slice(0, -"&Version=1".length);
  if (!rawQuery.split("&").includes(`Action=${ACTION}`)) return malformed("not a CallWithBearerToken URL");

  const r = verifyPresignedQuery(
    { method: "POST", rawPath, rawQuery, headers: { host }, payloadHashes: () => PAYLOAD_HASHES },
    { secretFor: opts.secretFor, service: "bedrock", now: opts.now, maxExpiresSeconds: TWELVE_HOURS_SECONDS },
  );
  if (r.ok) return { ok: true, accessKeyId: r.accessKeyId, region: r.region, expiresAt: r.expiresAt! };
  if (r.error === "UnrecognizedClientException") return { ok: false, reason: "unknown-key", detail: r.message };
  if (r.expiresAt !== undefined) return { ok: false, reason: "expired", detail: r.message };
  if (r.error === "IncompleteSignatureException") return { ok: false, reason: "malformed", detail: r.message };
  return { ok: false, reason: "invalid", detail: r.message };
}
