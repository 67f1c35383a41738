// URI labels and query parameters are not in a JSON body, so the body validator skips them; these check
// them against their member shapes in the service model, with the same wording
// ("Value at 'maxResults' failed to satisfy constraint: …").
import { validationError } from "../../../core/errors.js";
import { issuesError, validatorFor, type Issue } from "../../../service-model/validate-shape.js";

/** member name → [shape name, value]; undefined values are absent parameters and pass. */
export function checkLabels(params: Record<string, [shape: string, value: unknown]>): void {
  const issues: Issue[] = [];
  for (const [member, [shapeName, value]] of Object.entries(params)) {
    if (value !== undefined) validatorFor(shapeName)(value, member, issues);
  }
  const error = issuesError(issues);
  if (error) throw error;
}

export function queryOf(url: string | undefined): URLSearchParams {
  const q = url?.indexOf("?") ?? -1;
  return new URLSearchParams(q === -1 ? "" : url!.slice(q + 1));
}

/** An integer query parameter; text that is not one is a ValidationException naming the parameter. */
export function integerParam(q: URLSearchParams, name: string): number | undefined {
  const text = q.get(name);
  if (text === null) return undefined;
  if (!/^-?\d+$/.test(text)) throw validationError(`1 validation error detected: Value '${text}' at '${name}' failed to satisfy constraint: Member must be an integer`);
  return Number(text);
}
