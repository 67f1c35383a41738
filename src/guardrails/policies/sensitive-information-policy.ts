// sensitiveInformationPolicyConfig: PII entity types (pii/) and custom regexes (regexesConfig, run on the
// linear-time engine). Every finding is reported with its action for this source: BLOCK blocks the whole
// content, ANONYMIZE replaces the text with `{TYPE}` (PII) or `{name}` (regex) placeholders, NONE only
// reports. Findings of PII and regexes may overlap in the report; masking resolves overlaps (PII first).
import type { GuardrailPiiEntityType, GuardrailSensitiveInformationPolicyConfig } from "../../core/control-plane-shapes.generated.js";
import type { GuardrailPiiEntityFilter, GuardrailRegexFilter, GuardrailSensitiveInformationPolicyAssessment } from "../../core/shapes.generated.js";
import { settingFor, type GuardrailPiiEntityConfig, type GuardrailRegexConfig, type GuardrailSource, type SourceSetting } from "../guardrail-definition.js";
import { findPii, MAX_FINDINGS, resolveOverlaps } from "../pii/find-pii.js";
import { SafeRegex } from "../text/safe-regex/safe-regex.js";
import { sensitiveAction } from "./actions.js";

/** What the policy runs for one source (INPUT or OUTPUT): fixed by the definition, so worked out at compile. */
interface SourcePlan {
  readonly piiActions: ReadonlyMap<GuardrailPiiEntityType, string>;
  readonly types: ReadonlySet<GuardrailPiiEntityType>;
  readonly regexes: readonly { readonly config: GuardrailRegexConfig; readonly regex: SafeRegex; readonly setting: SourceSetting<string> }[];
}

export interface CompiledSensitiveInformationPolicy {
  readonly bySource: Readonly<Record<GuardrailSource, SourcePlan>>;
}

function sourcePlan(
  pii: readonly GuardrailPiiEntityConfig[],
  regexes: readonly { readonly config: GuardrailRegexConfig; readonly regex: SafeRegex }[],
  source: GuardrailSource,
): SourcePlan {
  const piiActions = new Map<GuardrailPiiEntityType, string>();
  for (const p of pii) {
    const s = settingFor(p, source, p.action);
    if (s.enabled) piiActions.set(p.type, s.action);
  }
  const enabledRegexes = regexes
    .map((r) => ({ ...r, setting: settingFor(r.config, source, r.config.action) }))
    .filter((r) => r.setting.enabled);
  return { piiActions, types: new Set(piiActions.keys()), regexes: enabledRegexes };
}

/** Throws RegexSyntaxError for a regex the engine cannot run (refused earlier, at create/update). */
export function compileSensitiveInformationPolicy(
  config: GuardrailSensitiveInformationPolicyConfig | undefined,
): CompiledSensitiveInformationPolicy | undefined {
  if (!config || (!config.piiEntitiesConfig?.length && !config.regexesConfig?.length)) return undefined;
  const pii = config.piiEntitiesConfig ?? [];
  const regexes = (config.regexesConfig ?? []).map((r) => ({ config: r, regex: new SafeRegex(r.pattern) }));
  return { bySource: { INPUT: sourcePlan(pii, regexes, "INPUT"), OUTPUT: sourcePlan(pii, regexes, "OUTPUT") } };
}

export interface SensitiveInformationResult {
  /** Whether PII entity types / regexes ran for this source (they bill separately). */
  readonly evaluatedPii: boolean;
  readonly evaluatedRegexes: boolean;
  readonly blocked: boolean;
  readonly anonymized: boolean;
  /** Each text with its ANONYMIZE findings replaced (the text itself when nothing was masked). */
  readonly masked: readonly string[];
  readonly assessment?: GuardrailSensitiveInformationPolicyAssessment;
}

interface MaskSpan { start: number; end: number; priority: number; placeholder: string }

const nothingEvaluated = (texts: readonly string[]): SensitiveInformationResult =>
  ({ evaluatedPii: false, evaluatedRegexes: false, blocked: false, anonymized: false, masked: texts });

export function evaluateSensitiveInformationPolicy(
  policy: CompiledSensitiveInformationPolicy | undefined,
  texts: readonly string[],
  source: GuardrailSource,
): SensitiveInformationResult {
  if (!policy) return nothingEvaluated(texts);
  const { piiActions, types, regexes } = policy.bySource[source];
  if (piiActions.size === 0 && regexes.length === 0) return nothingEvaluated(texts);

  const piiEntities: GuardrailPiiEntityFilter[] = [];
  const regexFindings: GuardrailRegexFilter[] = [];
  let blocked = false;
  let anonymized = false;
  const masked = texts.map((text) => {
    const spans: MaskSpan[] = [];
    for (const f of findPii(text, types)) {
      const action = sensitiveAction(piiActions.get(f.type)!);
      piiEntities.push({ match: f.match, type: f.type, action, detected: true });
      if (action === "BLOCKED") blocked = true;
      if (action === "ANONYMIZED") spans.push({ start: f.start, end: f.end, priority: 0, placeholder: `{${f.type}}` });
    }
    for (const r of regexes) {
      const action = sensitiveAction(r.setting.action);
      for (const m of r.regex.matches(text, MAX_FINDINGS)) {
        if (m.end === m.index) continue;
        regexFindings.push({ name: r.config.name, match: m.text, regex: r.config.pattern, action, detected: true });
        if (action === "BLOCKED") blocked = true;
        if (action === "ANONYMIZED") spans.push({ start: m.index, end: m.end, priority: 1, placeholder: `{${r.config.name}}` });
      }
    }
    if (!spans.length) return text;
    anonymized = true;
    let out = "";
    let at = 0;
    for (const s of resolveOverlaps(spans)) {
      out += text.slice(at, s.start) + s.placeholder;
      at = s.end;
    }
    return out + text.slice(at);
  });
  const assessment = piiEntities.length || regexFindings.length ? { piiEntities, regexes: regexFindings } : undefined;
  return { evaluatedPii: piiActions.size > 0, evaluatedRegexes: regexes.length > 0, blocked, anonymized, masked, assessment };
}
