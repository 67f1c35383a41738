// Who is calling: turns the parts of a request (method, target as sent, headers, body or its hash) into a
// Caller, or throws the BedrockError the real service would send. One authenticator serves every front
// door; without an `auth` section everyone is ANONYMOUS.
import { ANONYMOUS, type Caller } from "../core/caller.js";
import { BedrockError } from "../core/errors.js";
import { isHexSha256, type RawHeaders } from "./canonical-request.js";
import type { AuthConfig } from "./auth-config.js";
import { adminClosed, expiredApiKey, invalidApiKey, missingAuthenticationToken } from "./auth-errors.js";
import { KeyRing, type KeyEntry } from "./key-ring.js";
import { bodyHash, verifySigV4, type SignedRequest, type SigV4Result } from "./verify-sigv4.js";
import { hasPresignedSignature, verifyPresignedQuery } from "./verify-presigned-query.js";
import { SHORT_TERM_PREFIX, verifyShortTermKey } from "./verify-short-term-key.js";
import { eventSignatureChain, type EventSignatureChain } from "./verify-event-signature.js";

/**
 * A request as the verifiers see it (SignedRequest: the target exactly as sent, lower-case header names, the
 * body or the hex SHA-256 it must have): passed to them as it is, with no copy per request.
 */
export type AuthRequest = SignedRequest;

export interface AuthenticateOptions {
  /** Also accept an API key in this header (the Anthropic door's `x-api-key`). */
  apiKeyHeader?: string;
}

export interface Authenticator {
  /** False without an `auth` section: every call is ANONYMOUS. */
  readonly enabled: boolean;
  /** Runtime calls: SigV4 (header or presigned query) or a Bedrock API key (long- or short-term). */
  authenticate(req: AuthRequest, opts?: AuthenticateOptions): Caller;
  /** The admin routes: the admin key as a Bearer token. */
  authenticateAdmin(req: AuthRequest): Caller;
  /**
   * For a SigV4 request already authenticated whose body is signed event by event
   * (STREAMING-AWS4-HMAC-SHA256-EVENTS): the chain that verifies each event's signature.
   */
  eventSignatures(req: AuthRequest): EventSignatureChain | undefined;
}

const SIGNING_NAME = "bedrock";
const BEARER = /^Bearer\s+(\S*)\s*$/i;
export const ADMIN_CALLER: Caller = Object.freeze({ name: "admin", via: "admin-key" as const });

const OPEN: Authenticator = {
  enabled: false,
  authenticate: () => ANONYMOUS,
  authenticateAdmin: () => ANONYMOUS,
  eventSignatures: () => undefined,
};

function header(headers: RawHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function refusal(r: Extract<SigV4Result, { ok: false }>): BedrockError {
  return new BedrockError(r.error, r.message);
}

export function createAuthenticator(config: AuthConfig | undefined, opts: { now?: () => Date } = {}): Authenticator {
  if (!config) return OPEN;
  const ring = new KeyRing(config);
  // Without a test clock, the verifiers read Date.now() themselves (no Date per request).
  const now = opts.now ?? (() => undefined);
  const callerOf = (entry: KeyEntry, via: Caller["via"], region?: string): Caller => entry.caller(via, region);

  function fromApiKey(token: string): Caller {
    if (token.startsWith(SHORT_TERM_PREFIX)) {
      const r = verifyShortTermKey(token, { secretFor: ring.secretFor, now: now() });
      if (!r.ok) throw r.reason === "expired" ? expiredApiKey() : invalidApiKey();
      return callerOf(ring.entryForAccessKey(r.accessKeyId)!, "short-term-key", r.region);
    }
    const entry = ring.entryForApiKey(token);
    if (!entry) throw invalidApiKey();
    return callerOf(entry, "api-key");
  }

  // Made once when there is no test clock: verification reads Date.now() itself.
  const fixedSigV4Options = opts.now ? undefined : { secretFor: ring.secretFor, service: SIGNING_NAME };

  function fromSigV4(req: AuthRequest): Caller {
    const r = verifySigV4(req, fixedSigV4Options ?? { secretFor: ring.secretFor, service: SIGNING_NAME, now: now() });
    if (!r.ok) throw refusal(r);
    return callerOf(ring.entryForAccessKey(r.accessKeyId)!, "sigv4", r.region);
  }

  function fromPresignedQuery(req: AuthRequest, q: number): Caller {
    const r = verifyPresignedQuery(
      {
        method: req.method,
        rawPath: req.path.slice(0, q),
        rawQuery: req.path.slice(q + 1),
        headers: req.headers,
        // A presigned request may declare its payload hash (UNSIGNED-PAYLOAD) like a header-signed one.
        payloadHashes: () => {
          const declared = header(req.headers, "x-amz-content-sha256");
          return [declared !== undefined && !isHexSha256(declared) ? declared : bodyHash(req)];
        },
      },
      { secretFor: ring.secretFor, service: SIGNING_NAME, now: now() },
    );
    if (!r.ok) throw refusal(r);
    return callerOf(ring.entryForAccessKey(r.accessKeyId)!, "sigv4", r.region);
  }

  return {
    enabled: true,
    authenticate(req, options = {}) {
      const authorization = header(req.headers, "authorization");
      if (authorization !== undefined && authorization !== "") {
        const bearer = BEARER.exec(authorization);
        if (bearer) return fromApiKey(bearer[1]);
        return fromSigV4(req);
      }
      if (options.apiKeyHeader) {
        const key = header(req.headers, options.apiKeyHeader);
        if (key !== undefined && key !== "") return fromApiKey(key);
      }
      const q = req.path.indexOf("?");
      if (q !== -1 && hasPresignedSignature(req.path.slice(q + 1))) return fromPresignedQuery(req, q);
      throw missingAuthenticationToken();
    },
    authenticateAdmin(req) {
      const authorization = header(req.headers, "authorization");
      if (authorization === undefined || authorization === "") throw missingAuthenticationToken();
      if (!ring.hasAdminKey) throw adminClosed();
      const bearer = BEARER.exec(authorization);
      if (!bearer || !ring.isAdminKey(bearer[1])) throw invalidApiKey();
      return ADMIN_CALLER;
    },
    eventSignatures(req) {
      return eventSignatureChain(header(req.headers, "authorization"), ring.secretFor);
    },
  };
}
