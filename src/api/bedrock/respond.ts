// JSON responses and error responses as restJson1 defines them (DIGEST §2.3).
import { BedrockError, toBedrockError } from "../../core/errors.js";
import type { CallRecord } from "../../core/call-record.js";
import { noteError } from "../../core/record-outcome.js";
import { logServerFault, logUnexpected } from "../../log.js";
import { endResponse } from "../../server/end-response.js";
import type { Headers, Response } from "../../server/http-types.js";
import type { IncomingCall } from "../../server/call-context.js";

// The real service sends the long form; every SDK cuts it at the first ':'.
const ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

const NO_HEADERS: Headers = Object.freeze({});

// The real front end's body for a path no operation matches, byte for byte as recorded
// (recordings/bedrock/issue-17523-unknown-operation.chunks.txt): no `message` member. SDKs still name the
// error, from x-amzn-errortype (the JS SDK then uses the name as the message; boto3 leaves it empty).
const UNKNOWN_OPERATION_BODY = '{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}';
const unknownRoutes = new WeakSet<BedrockError>();

/** The error for a path no operation matches: answered with the recorded body; `message` is for logs only. */
export function unknownRouteError(message: string): BedrockError {
  const err = new BedrockError("UnknownOperationException", message);
  unknownRoutes.add(err);
  return err;
}

/** What the gateway policies tell the client about a call: `x-basalt-cache: hit|miss` when the response cache saw it. */
export function policyHeaders(record: CallRecord): Headers {
  return record.cache === undefined ? NO_HEADERS : { "x-basalt-cache": record.cache };
}

export function sendJson(res: Response, status: number, body: string | Uint8Array, headers: Headers): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
    ...headers,
  });
  endResponse(res, body);
}

/**
 * The BedrockError a failure is answered with, noted in the call record. A failure that is not a
 * BedrockError is a bug or an unforeseen upstream condition: it is logged with the request id and its
 * cause chain, and the client gets a generic InternalServerException. A typed server fault (5xx: an
 * upstream that is down, an internal error a provider reported) is logged too, with what caused it, so an
 * operator can tell why a client saw it.
 */
export function reportError(error: unknown, requestId: string, record?: CallRecord): BedrockError {
  const err = toBedrockError(error);
  if (err !== error) logUnexpected(error, requestId);
  else if (err.status >= 500) logServerFault(err, err.status, requestId);
  if (record) noteError(record, err, err !== error ? error : undefined);
  return err;
}

export function sendError(res: Response, error: unknown, requestId: string, record?: CallRecord): void {
  const err = reportError(error, requestId, record);
  if (res.headersSent) {
    res.destroy?.();
    return;
  }
  const body = unknownRoutes.has(err) ? UNKNOWN_OPERATION_BODY : JSON.stringify({ message: err.message, ...err.fields });
  sendJson(res, err.status, body, {
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": err.errorName + ERROR_TYPE_SUFFIX,
  });
}

/**
 * Answers a call refused before its door served it (authentication). The body is drained first, as for an
 * unknown route, so an HTTP/1.1 client that writes its whole body before reading sees the error, not a reset.
 */
export async function sendRefusal(call: IncomingCall, error: unknown): Promise<void> {
  await call.readBody().catch(() => undefined);
  sendError(call.res, error, call.requestId, call.record);
}
