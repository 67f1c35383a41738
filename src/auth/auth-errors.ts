// The refusals, worded as the real service words them (issue 11; DIGEST §12). Where no public record of
// the wording exists, the choice is noted.
import { BedrockError } from "../core/errors.js";

export const missingAuthenticationToken = (): BedrockError =>
  new BedrockError("MissingAuthenticationTokenException", "Missing Authentication Token");

export const unrecognizedClient = (): BedrockError =>
  new BedrockError("UnrecognizedClientException", "The security token included in the request is invalid.");

// What Bedrock answers for a bearer token it cannot use (reported verbatim by users of long-term keys).
export const INVALID_API_KEY = "Authentication failed: Please make sure your API Key is valid.";
export const invalidApiKey = (): BedrockError => new BedrockError("AccessDeniedException", INVALID_API_KEY);

// No public record of the expired-key wording: same family as the invalid-key message, naming the cause.
export const EXPIRED_API_KEY = "Authentication failed: The API Key has expired.";
export const expiredApiKey = (): BedrockError => new BedrockError("AccessDeniedException", EXPIRED_API_KEY);

// Basalt's own: the admin routes exist only in Basalt.
export const adminClosed = (): BedrockError =>
  new BedrockError("AccessDeniedException", "The admin routes are closed: set auth.adminKey to open them.");

const AUTHENTICATION_FAILURES = new Set(["MissingAuthenticationTokenException", "IncompleteSignatureException", "UnrecognizedClientException", "InvalidSignatureException"]);

/**
 * Whether the caller could not be identified at all (no credentials, a signature or key that is not valid),
 * as opposed to an identified caller refused a resource. Bedrock answers a bad API key with a 403
 * AccessDeniedException; the OpenAI and Anthropic APIs answer both kinds of bad key with 401, and their SDKs
 * raise AuthenticationError only for that.
 */
export function isAuthenticationFailure(err: BedrockError): boolean {
  if (AUTHENTICATION_FAILURES.has(err.errorName)) return true;
  return err.errorName === "AccessDeniedException" && (err.message === INVALID_API_KEY || err.message === EXPIRED_API_KEY);
}
