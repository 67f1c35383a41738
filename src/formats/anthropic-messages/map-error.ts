// What the Messages API says when it fails: `{"type":"error","error":{"type","message"}}` bodies, and
// the HTTP status each documented error type stands for (errors inside a stream carry only the type).
import type { AnthropicErrorObject } from "./types.js";

// Long error pages (an HTML 502 from a proxy) are cut to keep responses and logs readable.
const MAX_UPSTREAM_MESSAGE = 1000;

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

/** The status an error type is documented with; 500 for types the docs do not list. */
export function anthropicErrorStatus(type: string | undefined): number {
  return STATUS_OF_TYPE[type ?? ""] ?? 500;
}

const TYPE_OF_STATUS: Record<number, string> = Object.fromEntries(Object.entries(STATUS_OF_TYPE).map(([type, status]) => [status, type]));

/** The documented error type of a status (an upstream's 529 is overloaded_error); undefined for others. */
export function anthropicErrorTypeOfStatus(status: number): string | undefined {
  return TYPE_OF_STATUS[status];
}

/** An error body's type and message; other bodies (a proxy's page) as their raw text. */
export function anthropicErrorBody(bodyText: string): AnthropicErrorObject {
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
