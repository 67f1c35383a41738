// The {modelId} path label is a member of the operation's input shape (ConversationalModelId,
// InvokeModelIdentifier, …) and the AWS front end checks it like any member, before any model is looked up:
// "1 validation error detected: Value 'anthropic.claude-v2:1:200k' at 'modelId' failed to satisfy
// constraint: Member must satisfy regular expression pattern: …" (public reports aws/aws-sdk-js-v3#5665,
// n8n-io/n8n#9084). Only an id that passes reaches the catalog (and its "model identifier is invalid").
import { shape } from "../../service-model/service-model.js";
import { issuesError, validatorFor, type Issue } from "../../service-model/validate-shape.js";

type Check = ReturnType<typeof validatorFor>;
const checks = new Map<string, Check | null>();

function checkFor(inputShape: string): Check | null {
  let check = checks.get(inputShape);
  if (check === undefined) {
    const ref = shape(inputShape).members?.modelId;
    check = ref ? validatorFor(ref.shape) : null;
    checks.set(inputShape, check);
  }
  return check;
}

/** Throws the front end's ValidationException when the decoded label breaks its shape's constraints. */
export function checkModelLabel(inputShape: string | undefined, modelId: string): void {
  const check = inputShape ? checkFor(inputShape) : null;
  if (!check) return;
  const issues: Issue[] = [];
  check(modelId, "modelId", issues);
  const error = issuesError(issues);
  if (error) throw error;
}
