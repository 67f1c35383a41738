// Failures in the Messages API's words: `{"type":"error","error":{"type","message"}}` with the status the
// error type is documented with (formats/anthropic-messages/map-error.ts), mid-stream as an `error` event.
import type { BedrockError } from "../../core/errors.js";
import { anthropicErrorStatus, anthropicErrorTypeOfStatus } from "../../formats/anthropic-messages/index.js";
import type { IncomingCall } from "../../server/call-context.js";
import { isAuthenticationFailure } from "../../auth/auth-errors.js";
import { reportError } from "../bedrock/respond.js";
import { writeSse } from "../foreign/model-call.js";

const TYPE_OF: Readonly<Record<string, string>> = {
  ValidationException: "invalid_request_error",
  SerializationException: "invalid_request_error",
  ResourceNotFoundException: "not_found_error",
  UnknownOperationException: "not_found_error",
  AccessDeniedException: "permission_error",
  ThrottlingException: "rate_limit_error",
  ServiceQuotaExceededException: "rate_limit_error",
  ServiceUnavailableException: "overloaded_error",
  ModelNotReadyException: "overloaded_error",
  ModelTimeoutException: "timeout_error",
};

export function anthropicErrorType(err: BedrockError): string {
  // A key that is missing, unknown or expired is Anthropic's 401 authentication_error, whatever Bedrock calls it.
  if (isAuthenticationFailure(err)) return "authentication_error";
  // A stream the upstream broke off says why in its own status (an Anthropic upstream's mid-stream
  // overloaded_error is 529): the client's retry logic keys on that type, not on a generic api_error.
  const upstream = err.fields.originalStatusCode;
  if (err.errorName === "ModelStreamErrorException" && typeof upstream === "number") {
    const type = anthropicErrorTypeOfStatus(upstream);
    if (type !== undefined && type !== "invalid_request_error") return type;
  }
  return TYPE_OF[err.errorName] ?? "api_error";
}

// Machine-readable details some refusals carry in `error.details` (the SDKs act on their error_code).
const DETAILS = new WeakMap<BedrockError, Record<string, unknown>>();

/** The error with `error.details` to answer with (e.g. `{ error_code: "thread_unsupported_request" }`). */
export function withDetails(err: BedrockError, details: Record<string, unknown>): BedrockError {
  DETAILS.set(err, details);
  return err;
}

/** Answers a failure; after a stream has begun, as its `error` event. */
export function sendAnthropicError(call: IncomingCall, error: unknown): void {
  const err = reportError(error, call.requestId, call.record);
  const type = anthropicErrorType(err);
  const details = DETAILS.get(err);
  const body = { type: "error", error: { type, message: err.message, ...(details && { details }) }, request_id: call.requestId };
  if (call.res.headersSent) {
    writeSse(call, { event: "error", data: body });
    if (!call.res.writableEnded) call.res.end();
    return;
  }
  const text = JSON.stringify(body);
  const status = anthropicErrorStatus(type);
  call.record.status = status;
  call.res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": call.requestId });
  call.res.end(text);
}
