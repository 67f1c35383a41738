// Checks on a guardrail definition that the service model's shapes cannot express, applied on CreateGuardrail,
// UpdateGuardrail and to config-file guardrails alike. Messages follow the service's plain wording.
import type { GuardrailDefinition } from "./guardrail-definition.js";
import { SafeRegex } from "./text/safe-regex/safe-regex.js";

export function definitionProblems(def: GuardrailDefinition): string[] {
  const problems: string[] = [];
  for (const f of def.contentPolicyConfig?.filtersConfig ?? []) {
    if (f.type === "PROMPT_ATTACK" && f.outputStrength !== "NONE") {
      problems.push("The outputStrength for PROMPT_ATTACK filter must be NONE.");
    }
  }
  const filterTypes = (def.contentPolicyConfig?.filtersConfig ?? []).map((f) => f.type);
  for (const type of new Set(filterTypes)) {
    if (filterTypes.filter((t) => t === type).length > 1) problems.push(`The content filter type ${type} is configured more than once.`);
  }
  const topicNames = (def.topicPolicyConfig?.topicsConfig ?? []).map((t) => t.name);
  for (const name of new Set(topicNames)) {
    if (topicNames.filter((t) => t === name).length > 1) problems.push(`The topic name ${name} is used more than once.`);
  }
  (def.sensitiveInformationPolicyConfig?.regexesConfig ?? []).forEach((r, i) => {
    const problem = SafeRegex.problem(r.pattern);
    if (problem) problems.push(`The regex pattern of regexesConfig ${i + 1} (${r.name}) is not supported: ${problem}.`);
  });
  for (const f of def.contextualGroundingPolicyConfig?.filtersConfig ?? []) {
    if (f.threshold < 0 || f.threshold > 0.99) problems.push(`The ${f.type} threshold must be between 0 and 0.99.`);
  }
  return problems;
}
