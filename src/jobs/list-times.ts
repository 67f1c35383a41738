// submitTimeAfter / submitTimeBefore of the list operations arrive as date-time strings (or Dates from an
// in-process caller); the store compares epoch milliseconds.
import { validationError } from "../core/errors.js";

function toMs(value: string | Date | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw validationError(`The value of ${name} is not a valid timestamp. Use an ISO 8601 date-time and try again.`);
  return ms;
}

export function parseListTimes(after: string | Date | undefined, before: string | Date | undefined): { submitTimeAfter?: number; submitTimeBefore?: number } {
  return { submitTimeAfter: toMs(after, "submitTimeAfter"), submitTimeBefore: toMs(before, "submitTimeBefore") };
}
