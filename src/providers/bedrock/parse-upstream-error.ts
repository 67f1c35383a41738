// A non-200 answer from a Bedrock(-compatible) upstream as a BedrockError, for the calls that are not relayed.
// Name as the SDKs read it (DIGEST §2.3): x-amzn-errortype up to ':', else __type / code in the body.
import { BedrockError, ERROR_KINDS, type BedrockErrorFields, type BedrockErrorName } from "../../core/errors.js";

// For names outside the table, and for authentication failures (they concern Basalt's own credentials
// upstream, not the client's): by status.
function nameForStatus(status: number): BedrockErrorName {
  switch (status) {
    case 400: return "ValidationException";
    case 401:
    case 403: return "AccessDeniedException";
    case 404: return "ResourceNotFoundException";
    case 408: return "ModelTimeoutException";
    case 424: return "ModelErrorException";
    case 429: return "ThrottlingException";
    case 503: return "ServiceUnavailableException";
    default: return "InternalServerException";
  }
}

export function parseUpstreamError(status: number, errorType: string | undefined, bodyText: string): BedrockError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status still tells what kind of failure it was.
  }
  const raw = errorType ?? (typeof body.__type === "string" ? body.__type : typeof body.code === "string" ? body.code : "");
  const name = raw.split(":")[0].split("#").pop() ?? "";
  const message = typeof body.message === "string" ? body.message : typeof body.Message === "string" ? body.Message : `Upstream answered HTTP ${status}.`;
  const fields: BedrockErrorFields = {};
  if (typeof body.originalStatusCode === "number") fields.originalStatusCode = body.originalStatusCode;
  if (typeof body.originalMessage === "string") fields.originalMessage = body.originalMessage;
  if (typeof body.resourceName === "string") fields.resourceName = body.resourceName;
  return new BedrockError(ERROR_KINDS.get(name)?.authentication === false ? (name as BedrockErrorName) : nameForStatus(status), message, fields);
}
