// Reads a request body with a size limit. Past the limit the rest is drained (so the client can read the
// error instead of a reset) up to a hard cap, then the connection is dropped.
import { BedrockError } from "../../core/errors.js";
import type { Request } from "./http-types.js";

export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > limit;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) over = true;
    if (over) {
      if (size > limit * 4) break;
      continue;
    }
    chunks.push(chunk);
  }
  if (over) {
    throw new BedrockError(
      "ValidationException",
      `The request body is ${Number.isFinite(declared) ? declared : size} bytes, more than the ${limit} bytes allowed. Reduce the size of the request and try again.`,
    );
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/** Parses a JSON body; a body that is not JSON is a SerializationException, as on the AWS front end. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new BedrockError("SerializationException", "Unable to parse the request body as JSON. Check that the body is well-formed JSON and try again.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BedrockError("SerializationException", "The request body must be a JSON object.");
  }
  return parsed;
}
