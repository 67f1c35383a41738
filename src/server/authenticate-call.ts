// Authentication in the request path, once per request, before any front door sees it (so no door, now or
// later, can forget it). A door says how its callers prove who they are (FrontDoor.authentication); the
// checks themselves are auth/. The body is read first only when the signature covers it and no declared
// payload hash stands in for it (botocore); otherwise the signature is checked at once and the body against
// the signed hash when it is read, so an unsigned 25 MB upload is refused without being read.
import type { Caller } from "../core/caller.js";
import { BedrockError } from "../core/errors.js";
import type { AuthRequest, Authenticator } from "../auth/authenticate.js";
import { isHexSha256, sha256Hex } from "../auth/canonical-request.js";
import type { IncomingCall } from "./call-context.js";

/** How callers prove who they are at one front door. */
export interface DoorAuthentication {
  /** The admin key (auth.adminKey) instead of runtime credentials. */
  readonly admin?: boolean;
  /** Also accept an API key in this header (`x-api-key` at the Anthropic door). */
  readonly apiKeyHeader?: string;
  /** Paths open to anyone (the liveness probe). */
  readonly openPaths?: readonly string[];
}

/** A body of event-stream messages each signed on its own (InvokeModelWithBidirectionalStream). */
const SIGNED_EVENTS = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
const BODY_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed.";

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Whether verifying this request's signature needs the body itself (a SigV4 signature without a declared hash). */
function needsBody(call: IncomingCall): boolean {
  const headers = call.req.headers;
  if (headers["x-amz-content-sha256"] !== undefined) return false;
  const authorization = single(headers.authorization);
  if (authorization !== undefined) return authorization.startsWith("AWS4-HMAC-SHA256");
  const url = call.req.url ?? "";
  return url.includes("X-Amz-Signature=");
}

/**
 * Identifies the caller of `call` (call.identify) or throws the refusal the door should send. Synchronous
 * (undefined) unless the body must be read first: no promise and no extra tick on the usual path.
 */
export function authenticateCall(auth: Authenticator, call: IncomingCall, door: DoorAuthentication = {}): Promise<void> | undefined {
  if (door.openPaths?.includes(call.path)) return undefined;
  const req = call.req;
  const headers = req.headers;
  // Every member the verifiers read is in the literal: one added later would move the object to a new
  // hidden class (and an out-of-object property store) on every request.
  const request: AuthRequest = { method: req.method ?? "", path: req.url ?? "", headers, body: undefined, bodySha256: undefined };
  if (door.admin) {
    call.identify(auth.authenticateAdmin(request));
    return undefined;
  }
  if (needsBody(call)) {
    return call.readBody().then((body) => {
      request.body = body;
      call.identify(auth.authenticate(request, door));
    });
  }
  const declared = single(headers["x-amz-content-sha256"]);
  const signedHash = declared !== undefined && isHexSha256(declared) ? declared : undefined;
  request.bodySha256 = signedHash;
  const caller: Caller = auth.authenticate(request, door);
  if (caller.via === "sigv4" && declared === SIGNED_EVENTS) {
    call.identify(caller, undefined, auth.eventSignatures(request));
    return undefined;
  }
  if (caller.via !== "sigv4" || signedHash === undefined) {
    call.identify(caller);
    return undefined;
  }
  call.identify(caller, (body) => {
    if (sha256Hex(body) !== signedHash) throw new BedrockError("InvalidSignatureException", BODY_MISMATCH);
  });
  return undefined;
}
