// nextToken of the list operations: the sort key of the last job returned (keyset pagination), so pages stay
// consistent while jobs are added. Opaque to clients; a token from another sort order or a forged one is a
// ValidationException rather than a wrong page.
import { validationError } from "../core/errors.js";

export interface PagePosition {
  submitTime: number;
  id: string;
}

export function encodePageToken(pos: PagePosition, ascending: boolean): string {
  return Buffer.from(JSON.stringify({ t: pos.submitTime, i: pos.id, a: ascending })).toString("base64url");
}

export function decodePageToken(token: string, ascending: boolean): PagePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidToken();
  }
  const p = parsed as { t?: unknown; i?: unknown; a?: unknown } | null;
  if (!p || typeof p.t !== "number" || typeof p.i !== "string" || p.a !== ascending || !/^[a-z0-9]{12}$/.test(p.i)) {
    throw invalidToken();
  }
  return { submitTime: p.t, id: p.i };
}

const invalidToken = () => validationError("The provided nextToken is invalid. Use the nextToken from the previous response with the same sort order and try again.");
