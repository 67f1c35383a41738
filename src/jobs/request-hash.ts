// Idempotency: the same clientRequestToken with the same request returns the first job; with a different
// request it is a ConflictException. "Same" means equal after key order is normalised, so a client that
// re-serialises its body differently still matches.
import { createHash } from "node:crypto";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestHash(request: unknown): string {
  return createHash("sha256").update(JSON.stringify(canonical(request))).digest("hex");
}
