// A guardrail definition made ready to run: matchers and regexes built once per version (never per request).
import type { GuardrailDefinition } from "./guardrail-definition.js";
import { compileSensitiveInformationPolicy, type CompiledSensitiveInformationPolicy } from "./policies/sensitive-information-policy.js";
import { compileWordPolicy, type CompiledWordPolicy } from "./policies/word-policy.js";

export interface CompiledGuardrail {
  readonly definition: GuardrailDefinition;
  readonly words?: CompiledWordPolicy;
  readonly sensitiveInformation?: CompiledSensitiveInformationPolicy;
}

export function compileGuardrail(definition: GuardrailDefinition): CompiledGuardrail {
  return {
    definition,
    words: compileWordPolicy(definition.wordPolicyConfig),
    sensitiveInformation: compileSensitiveInformationPolicy(definition.sensitiveInformationPolicyConfig),
  };
}
