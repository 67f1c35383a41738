// Query-string parsing for the admin routes; every bad value names its parameter.
import { AdminQueryError } from "./admin-route.js";

/** A typo in a parameter name must not silently widen a query. */
export function onlyParams(url: URL, allowed: readonly string[]): void {
  for (const key of url.searchParams.keys()) {
    if (!allowed.includes(key)) throw new AdminQueryError(`Unknown query parameter "${key}"; known: ${allowed.join(", ")}.`);
  }
}

/** An ISO 8601 time or epoch milliseconds. */
export function timeParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw new AdminQueryError(`${name}: not a time (ISO 8601 or epoch milliseconds): ${raw}`);
  return ms;
}

export function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new AdminQueryError(`${name}: must be an integer from ${min} to ${max}: ${raw}`);
  return n;
}

export function stringParam(url: URL, name: string): string | undefined {
  const raw = url.searchParams.get(name);
  return raw === null || raw === "" ? undefined : raw;
}
