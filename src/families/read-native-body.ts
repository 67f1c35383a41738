// A native InvokeModel body (InvokeModel, the stream, CountTokens' invokeModel input) read into the Converse
// input a backend serves, so that nothing a client wrote reaches a backend unchecked: the body is a JSON
// object of bounded depth, the family reads it (and names what is wrong in Bedrock's words), and the
// Converse input it made is checked against the Converse shapes' types before anyone reads it — a family
// that passes a member through unchecked (Nova's blocks are Converse's) cannot hand a backend a number
// where a string belongs.
import { BedrockError } from "../core/errors.js";
import { exceedsDepth, MAX_JSON_DEPTH } from "../core/json-depth.js";
import type { ConverseInput } from "../core/model.js";
import type { Family, InvokeCall, NativeRequest } from "./family.js";
import { malformed, parseNativeBody } from "./native-body.js";
import { causeChain, log } from "../log.js";
import { validatorFor, zeroBasedPath, type Issue } from "../service-model/validate-shape.js";
import { refuseMalformedToolUse } from "./refuse-malformed-tool-use.js";

type JsonObject = Record<string, unknown>;

/** The raw body as a JSON object no deeper than MAX_JSON_DEPTH; anything else is a malformed request. */
export function parseNative(body: Buffer | string): JsonObject {
  const native = parseNativeBody(body);
  if (exceedsDepth(native, MAX_JSON_DEPTH)) {
    throw malformed([`#: the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`]);
  }
  return native;
}

/** The family's reading of a native body, checked: a ValidationException for anything a reader could trip on. */
export function translateNative(family: Family, native: JsonObject, call: InvokeCall): NativeRequest {
  let request: NativeRequest;
  try {
    request = family.toConverse(native, call);
  } catch (err) {
    if (err instanceof BedrockError) throw err;
    // A family that met a shape its checks did not foresee: still the client's input, so a 400, but logged,
    // since the family's checks should have named the problem.
    log.warn(
      { requestId: call.requestId, family: family.name, causes: causeChain(err), stack: err instanceof Error ? err.stack : undefined },
      "native body reader failed",
    );
    throw malformed([`#: the request body is not a valid ${family.name} request`]);
  }
  checkTranslated(request.input);
  return refuseMalformedToolUse(family, request, call.modelId);
}

/** `messages.1.member.content.2.member.text` → `#/messages/0/content/1/text`. */
const pointer = (path: string) => (path ? `#/${zeroBasedPath(path).replaceAll(".", "/")}` : "#");

function describe(issue: Issue): string {
  if (issue.kind === "union") return `${pointer(issue.path)}: expected exactly one of the keys [${issue.members.join(", ")}]`;
  if (issue.kind === "type") return `${pointer(issue.path)}: expected type ${issue.expected}`;
  return `${pointer(issue.path)}: ${issue.rule}`;
}

function checkTranslated(input: ConverseInput): void {
  const issues: Issue[] = [];
  validatorFor("ConverseRequest", "types")(input, "", issues);
  if (issues.length) throw malformed(issues.map(describe));
}
