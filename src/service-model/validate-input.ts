// Validates a parsed JSON body against an operation's input shape: constraints first (as the AWS front
// end does), then Bedrock's conversation rules.
import { validationError } from "../core/errors.js";
import { formatIssues, validatorFor, type Issue } from "./validate-shape.js";

export function validateShape(shapeName: string, body: unknown): void {
  const issues: Issue[] = [];
  validatorFor(shapeName)(body, "", issues);
  const message = formatIssues(issues);
  if (message) throw validationError(message);
}
