// JSON helpers shared by every reader of untrusted JSON (request bodies, headers, upstream answers).

export type JsonObject = Record<string, unknown>;

/** A plain JSON object: not null, not an array. */
export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses untrusted JSON text: `{ value }`, or undefined when the text is not JSON (never throws). */
export function parseJsonSafely(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
