// Upstream failures → Bedrock errors: HTTP error responses by status, transport failures by cause.
// One table, so the policy lives in one place.
import { BedrockError } from "../../core/errors.js";
import type { OpenAIErrorObject } from "./openai-api-types.js";

const TIMEOUT_MESSAGE = "Model has timed out in processing the request. Try your request again.";
// Long error pages (an HTML 502 from a proxy) are cut to keep responses and logs readable.
const MAX_UPSTREAM_MESSAGE = 1000;

/** The human message of an error body: OpenAI/vLLM/llama.cpp `{"error":{"message"}}`, Ollama's native `{"error":"…"}`, vLLM's older flat `{"message"}`, else the raw text. */
export function upstreamErrorMessage(bodyText: string): string {
  let message: string | undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === "object") {
      const { error, message: flat } = parsed as { error?: unknown; message?: unknown };
      if (typeof error === "string") message = error;
      else if (error && typeof error === "object" && typeof (error as OpenAIErrorObject).message === "string") {
        message = (error as OpenAIErrorObject).message;
      } else if (typeof flat === "string") message = flat;
    }
  } catch {
    // Not JSON: use the text as it came.
  }
  message = (message ?? bodyText).trim() || "(empty response body)";
  return message.length > MAX_UPSTREAM_MESSAGE ? `${message.slice(0, MAX_UPSTREAM_MESSAGE)}…` : message;
}

export interface UpstreamErrorContext {
  status: number;
  bodyText: string;
  servedModelId: string;
  upstreamModel: string;
}

export function mapOpenAIHttpError({ status, bodyText, servedModelId, upstreamModel }: UpstreamErrorContext): BedrockError {
  const upstream = upstreamErrorMessage(bodyText);
  const wrapped = `The model returned the following errors: ${upstream}`;
  if (status === 401 || status === 403) {
    return new BedrockError("AccessDeniedException", `You don't have access to the model with the specified model ID. The model returned the following errors: ${upstream}`);
  }
  if (status === 404) {
    return new BedrockError("ResourceNotFoundException", `The upstream model ${upstreamModel} for ${servedModelId} was not found. The model returned the following errors: ${upstream}`);
  }
  if (status === 408) return new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE);
  if (status === 429) return new BedrockError("ThrottlingException", `Too many requests, please wait before trying again. The model returned the following errors: ${upstream}`);
  if (status === 503) return new BedrockError("ServiceUnavailableException", wrapped);
  if (status >= 400 && status < 500) return new BedrockError("ValidationException", wrapped);
  return new BedrockError("ModelErrorException", wrapped, { originalStatusCode: status, resourceName: servedModelId });
}

/** An error object sent inside a stream after the 200 (OpenAI, vLLM and Ollama all do this). */
export function mapOpenAIStreamError(error: OpenAIErrorObject | string): BedrockError {
  const message = typeof error === "string" ? error : (error.message ?? JSON.stringify(error));
  const code = typeof error === "object" ? error.code : undefined;
  const status = typeof code === "number" ? code : Number.parseInt(String(code ?? ""), 10);
  const fields = Number.isInteger(status) && status >= 400 && status < 600 ? { originalStatusCode: status } : {};
  return new BedrockError("ModelStreamErrorException", `The model returned the following errors: ${message}`, { ...fields, originalMessage: message });
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * A transport failure (no HTTP status) → a Bedrock error. `streaming` says whether events already
 * reached the client, where a cut connection must surface as a stream error, never a clean end.
 */
export function mapTransportError(err: unknown, streaming: boolean): BedrockError {
  if (err instanceof BedrockError) return err;
  const code = errorCode(err);
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE);
  }
  if (!streaming && code !== undefined && UNREACHABLE.has(code)) {
    return new BedrockError("ServiceUnavailableException", `The model endpoint is unavailable (${code}). Try your request again later.`);
  }
  if (streaming) {
    return new BedrockError("ModelStreamErrorException", "The model stream was interrupted: the upstream connection closed before the response was complete.", {
      originalMessage: err instanceof Error ? err.message : String(err),
    });
  }
  // Reset or closed before a response: the upstream went away mid-request.
  return new BedrockError("ServiceUnavailableException", `The model endpoint closed the connection${code ? ` (${code})` : ""}. Try your request again later.`);
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
