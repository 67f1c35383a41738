// restJson1 bodies: an empty body is an empty object; anything but a JSON object is refused the way the AWS
// front end refuses it.
import { BedrockError, validationError } from "../../core/errors.js";
import { exceedsDepth, MAX_JSON_DEPTH } from "../../core/json-depth.js";

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
  if (exceedsDepth(parsed, MAX_JSON_DEPTH)) {
    throw validationError(`The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep. Reduce the nesting and try again.`);
  }
  return parsed;
}
