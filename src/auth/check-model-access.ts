// A key's model allow-list (`auth.keys[].models`, globs over served model ids). A refusal reads like the
// IAM denial the real service sends, naming the caller, the action and the model's ARN.
import type { Caller } from "../core/caller.js";
import { BedrockError } from "../core/errors.js";
import { hasProfilePrefix } from "../core/model-id.js";

/** Basalt has no AWS account; the all-zero id is what local AWS emulators use. */
export const ACCOUNT_ID = "000000000000";
const DEFAULT_REGION = "us-east-1";

// IAM actions per operation: the streaming operations have their own action, Converse shares InvokeModel's.
const ACTIONS: Record<string, string> = {
  Converse: "bedrock:InvokeModel",
  InvokeModel: "bedrock:InvokeModel",
  ConverseStream: "bedrock:InvokeModelWithResponseStream",
  InvokeModelWithResponseStream: "bedrock:InvokeModelWithResponseStream",
  InvokeModelWithBidirectionalStream: "bedrock:InvokeModelWithBidirectionalStream",
  CountTokens: "bedrock:CountTokens",
};

// Compiled once per allow-list (the key's frozen array), not per request.
const compiled = new WeakMap<readonly string[], RegExp>();

export function globsToRegExp(globs: readonly string[]): RegExp {
  const alternatives = globs.map((g) =>
    g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, "."),
  );
  return new RegExp(`^(?:${alternatives.join("|")})$`, "s");
}

export function mayUseModel(caller: Caller, servedModelId: string): boolean {
  if (!caller.models) return true;
  let re = compiled.get(caller.models);
  if (!re) {
    re = globsToRegExp(caller.models);
    compiled.set(caller.models, re);
  }
  return re.test(servedModelId);
}

/** The ARN the real service names for a model id as the client sent it. */
export function modelArn(requestedModelId: string, region: string): string {
  if (requestedModelId.startsWith("arn:")) return requestedModelId;
  if (hasProfilePrefix(requestedModelId)) return `arn:aws:bedrock:${region}:${ACCOUNT_ID}:inference-profile/${requestedModelId}`;
  return `arn:aws:bedrock:${region}::foundation-model/${requestedModelId}`;
}

export function iamAction(operation: string): string {
  return ACTIONS[operation] ?? `bedrock:${operation || "InvokeModel"}`;
}

export function modelAccessDenied(caller: Caller, requestedModelId: string, operation: string): BedrockError {
  const action = iamAction(operation);
  const principal = `arn:aws:iam::${ACCOUNT_ID}:user/${caller.name}`;
  return new BedrockError(
    "AccessDeniedException",
    `User: ${principal} is not authorized to perform: ${action} on resource: ${modelArn(requestedModelId, caller.region ?? DEFAULT_REGION)} because no identity-based policy allows the ${action} action`,
  );
}

/** Throws the IAM-style AccessDeniedException when the caller's allow-list leaves the model out. */
export function checkModelAccess(caller: Caller, call: { servedModelId: string; requestedModelId: string; operation: string }): void {
  if (!mayUseModel(caller, call.servedModelId)) throw modelAccessDenied(caller, call.requestedModelId, call.operation);
}
