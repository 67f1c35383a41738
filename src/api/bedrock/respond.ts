// JSON responses and error responses as restJson1 defines them (DIGEST §2.3).
import { BedrockError, toBedrockError } from "../../core/errors.js";
import { errorStatus } from "./validation/service-model.js";
import type { Headers, Response } from "./http-types.js";

// The real service sends the long form; every SDK cuts it at the first ':'.
const ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

const EXTRA_STATUS: Record<string, number> = { SerializationException: 400, UnknownOperationException: 404 };

export function httpStatusOf(err: BedrockError): number {
  return errorStatus(err.errorName) ?? EXTRA_STATUS[err.errorName] ?? 500;
}

export function sendJson(res: Response, status: number, body: string | Uint8Array, headers: Headers): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
    ...headers,
  });
  res.end(body);
}

export function sendError(res: Response, error: unknown, requestId: string): void {
  const err = toBedrockError(error);
  if (res.headersSent) {
    res.destroy?.();
    return;
  }
  const body = JSON.stringify({ message: err.message, ...err.fields });
  sendJson(res, httpStatusOf(err), body, {
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": err.errorName + ERROR_TYPE_SUFFIX,
  });
}
