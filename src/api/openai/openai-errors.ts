// Failures in OpenAI's words: `{"error":{"message","type","param","code"}}` with the matching HTTP status;
// mid-stream, the same object as one more `data:` event before the stream ends.
import type { BedrockError } from "../../core/errors.js";
import type { IncomingCall } from "../../server/call-context.js";
import { isAuthenticationFailure } from "../../auth/auth-errors.js";
import { reportError } from "../bedrock/respond.js";
import { writeSse } from "../foreign/model-call.js";

const KIND_OF: Readonly<Record<string, { type: string; code: string | null; status?: number }>> = {
  ValidationException: { type: "invalid_request_error", code: null },
  SerializationException: { type: "invalid_request_error", code: null },
  ResourceNotFoundException: { type: "invalid_request_error", code: "model_not_found", status: 404 },
  UnknownOperationException: { type: "invalid_request_error", code: "unknown_url", status: 404 },
  AccessDeniedException: { type: "permission_error", code: null, status: 403 },
  ThrottlingException: { type: "rate_limit_error", code: "rate_limit_exceeded", status: 429 },
  ServiceQuotaExceededException: { type: "rate_limit_error", code: "rate_limit_exceeded", status: 429 },
  // An upstream's own failure: Bedrock's 424 is no status OpenAI uses, and its SDKs retry a 500, not a 424.
  ModelErrorException: { type: "server_error", code: null, status: 500 },
  ModelStreamErrorException: { type: "server_error", code: null, status: 500 },
};
// OpenAI's answer to a key it cannot use (missing, unknown, expired): 401, code invalid_api_key.
const BAD_KEY = { type: "invalid_request_error", code: "invalid_api_key", status: 401 };

const kindOf = (err: BedrockError) => (isAuthenticationFailure(err) ? BAD_KEY : KIND_OF[err.errorName] ?? { type: "server_error", code: null });

/**
 * A Responses stream's failure after it began: its typed `error` event (`type`, `code`, `message`, `param`,
 * `sequence_number`), as the API sends one, so a client reading event types sees it; then the stream ends.
 */
export function sendResponsesStreamError(call: IncomingCall, error: unknown, sequenceNumber: number): void {
  if (!call.res.headersSent) return sendOpenAIError(call, error);
  const err = reportError(error, call.requestId, call.record);
  const kind = kindOf(err);
  writeSse(call, { event: "error", data: { type: "error", code: kind.code ?? kind.type, message: err.message, param: null, sequence_number: sequenceNumber } });
  if (!call.res.writableEnded) call.res.end();
}

/** Answers a failure; after a stream has begun, as its last event. */
export function sendOpenAIError(call: IncomingCall, error: unknown): void {
  const err = reportError(error, call.requestId, call.record);
  const kind = kindOf(err);
  const body = { error: { message: err.message, type: kind.type, param: null, code: kind.code } };
  if (call.res.headersSent) {
    writeSse(call, { data: body });
    if (!call.res.writableEnded) call.res.end();
    return;
  }
  const status = kind.status ?? err.status;
  const text = JSON.stringify(body);
  call.record.status = status;
  call.res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": call.requestId });
  call.res.end(text);
}
