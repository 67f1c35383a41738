// Validates a parsed JSON body against an operation's input shape: constraints first (as the AWS front
// end does), then Bedrock's conversation rules.
import { issuesError, validatorFor, type Issue } from "./validate-shape.js";

export function validateShape(shapeName: string, body: unknown): void {
  const issues: Issue[] = [];
  validatorFor(shapeName)(body, "", issues);
  const error = issuesError(issues);
  if (error) throw error;
}
