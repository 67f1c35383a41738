// What a Chat Completions server says when it fails: the human message of an error body.
import type { OpenAIErrorObject } from "./types.js";

// Long error pages (an HTML 502 from a proxy) are cut to keep responses and logs readable.
const MAX_UPSTREAM_MESSAGE = 1000;

/**
 * OpenAI/vLLM/llama.cpp `{"error":{"message"}}`, Ollama's native `{"error":"…"}`, vLLM's older flat
 * `{"message"}`, else the raw text.
 */
export function chatErrorMessage(bodyText: string): string {
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
