// Upstream failures → Bedrock errors: Messages API error responses by status, `event: error` stream
// events by error type, transport failures by cause. One table, so the policy lives in one place.
import { BedrockError } from "../../core/errors.js";
import type { AnthropicErrorObject } from "./anthropic-api-types.js";

const TIMEOUT_MESSAGE = "Model has timed out in processing the request. Try your request again.";
// Long error pages (an HTML 502 from a proxy) are cut to keep responses and logs readable.
const MAX_UPSTREAM_MESSAGE = 1000;

// The status each documented error type comes with, for errors that arrive inside a stream.
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** `{"type":"error","error":{"type","message"}}` → the message; other bodies (proxies) as raw text. */
export function upstreamError(bodyText: string): AnthropicErrorObject {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    const error = (parsed as { error?: unknown } | null)?.error;
    if (error && typeof error === "object") {
      const { type, message } = error as AnthropicErrorObject;
      return { type: typeof type === "string" ? type : undefined, message: clip(typeof message === "string" ? message : JSON.stringify(error)) };
    }
  } catch {
    // Not JSON: use the text as it came.
  }
  return { message: clip(bodyText.trim() || "(empty response body)") };
}

function clip(message: string): string {
  return message.length > MAX_UPSTREAM_MESSAGE ? `${message.slice(0, MAX_UPSTREAM_MESSAGE)}…` : message;
}

export interface UpstreamErrorContext {
  status: number;
  error: AnthropicErrorObject;
  servedModelId: string;
  upstreamModel: string;
}

export function mapAnthropicHttpError({ status, error, servedModelId, upstreamModel }: UpstreamErrorContext): BedrockError {
  const upstream = error.message ?? "";
  const wrapped = `The model returned the following errors: ${upstream}`;
  if (status === 401 || status === 403) {
    return new BedrockError("AccessDeniedException", `You don't have access to the model with the specified model ID. ${wrapped}`);
  }
  if (status === 404) {
    return new BedrockError("ResourceNotFoundException", `The upstream model ${upstreamModel} for ${servedModelId} was not found. ${wrapped}`);
  }
  if (status === 408 || status === 504) return new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE);
  if (status === 429) return new BedrockError("ThrottlingException", `Too many requests, please wait before trying again. ${wrapped}`);
  // 529 is Anthropic's "overloaded": the service is up but cannot take the request now.
  if (status === 503 || status === 529) return new BedrockError("ServiceUnavailableException", wrapped);
  if (status >= 400 && status < 500) return new BedrockError("ValidationException", wrapped);
  return new BedrockError("ModelErrorException", wrapped, { originalStatusCode: status, resourceName: servedModelId });
}

/**
 * An `event: error` in the SSE stream. Before any event reached the client it is still an HTTP
 * error (mapped as its status would be); after, a modelStreamErrorException event.
 */
export function mapAnthropicStreamError(error: AnthropicErrorObject, started: boolean, ctx: { servedModelId: string; upstreamModel: string }): BedrockError {
  const status = STATUS_OF_TYPE[error.type ?? ""] ?? 500;
  const message = error.message ?? error.type ?? "unknown error";
  if (!started) return mapAnthropicHttpError({ status, error: { ...error, message }, ...ctx });
  return new BedrockError("ModelStreamErrorException", `The model returned the following errors: ${message}`, {
    originalStatusCode: status,
    originalMessage: message,
  });
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * A transport failure (no HTTP status) → a Bedrock error. `streaming` says whether events already
 * reached the client, where a cut connection must surface as a stream error, never a clean end.
 */
export function mapTransportError(err: unknown, streaming: boolean): BedrockError {
  if (err instanceof BedrockError) return err;
  const code = errorCode(err);
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE);
  if (streaming) {
    return new BedrockError("ModelStreamErrorException", "The model stream was interrupted: the upstream connection closed before the response was complete.", {
      originalMessage: err instanceof Error ? err.message : String(err),
    });
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new BedrockError("ServiceUnavailableException", `The model endpoint is unavailable (${code}). Try your request again later.`);
  }
  return new BedrockError("ServiceUnavailableException", `The model endpoint closed the connection${code ? ` (${code})` : ""}. Try your request again later.`);
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
