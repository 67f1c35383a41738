// restJson1 bodies: an empty body is an empty object; anything but a JSON object is refused the way the AWS
// front end refuses it.
import { BedrockError, validationError } from "../../core/errors.js";
import { isObject, parseJsonSafely } from "../../core/json.js";
import { exceedsDepth, MAX_JSON_DEPTH } from "../../core/json-depth.js";

/** Parses a JSON body; a body that is not JSON is a SerializationException, as on the AWS front end. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  const parsed = parseJsonSafely(body.toString("utf8"));
  if (!parsed) {
    throw new BedrockError("SerializationException", "Unable to parse the request body as JSON. Check that the body is well-formed JSON and try again.");
  }
  if (!isObject(parsed.value)) throw new BedrockError("SerializationException", "The request body must be a JSON object.");
  if (exceedsDepth(parsed.value, MAX_JSON_DEPTH)) {
    throw validationError(`The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep. Reduce the nesting and try again.`);
  }
  return parsed.value;
}
