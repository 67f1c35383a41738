// Shared by the family translators: reading a native InvokeModel body and reporting what is wrong with it
// in Bedrock's words. Bedrock checks native bodies against a JSON schema per model and answers with the
// validator's messages joined, e.g.
//   Malformed input request: #: required key [max_tokens] not found#: extraneous key [inferenceConfig] is
//   not permitted, please reformat your input and try again.
import { BedrockError } from "../core/errors.js";
import { isObject, IssueList, typeName, type JsonObject } from "../formats/shared/check-json.js";

/** The ValidationException for a list of schema errors (each already starting with its `#…:` pointer). */
export function malformed(errors: string[]): BedrockError {
  return new BedrockError("ValidationException", `Malformed input request: ${errors.join("")}, please reformat your input and try again.`);
}

/** The raw body as a JSON object; anything else is a malformed request. */
export function parseNativeBody(body: Buffer | string): JsonObject {
  const text = typeof body === "string" ? body : body.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(["#: the request body is not valid JSON"]);
  }
  if (!isObject(parsed)) throw malformed([`#: expected type: JSONObject, found: ${typeName(parsed)}`]);
  return parsed;
}

/** The problems of one native body; throwIfAny answers them all in one ValidationException. */
export class ErrorList extends IssueList {
  /** Throws the ValidationException when anything was collected. */
  throwIfAny(prefix: string[] = []): void {
    if (this.errors.length) throw malformed([...prefix, ...this.errors]);
  }
}
