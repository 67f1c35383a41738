// A guardrail's definition: exactly the policy-bearing members of CreateGuardrail's request (the control-plane
// model's shapes), stored as given. Versions are frozen copies of it. The same shape comes from the API and
// from the config file's `guardrails:` entries.
import type {
  CreateGuardrailRequest, GuardrailContentFilterConfig, GuardrailContextualGroundingFilterConfig,
  GuardrailManagedWordsConfig, GuardrailPiiEntityConfig, GuardrailRegexConfig, GuardrailTopicConfig, GuardrailWordConfig,
} from "../core/control-plane-shapes.generated.js";

export type GuardrailDefinition = Omit<CreateGuardrailRequest, "tags" | "clientRequestToken">;

export type GuardrailSource = "INPUT" | "OUTPUT";

/** Where a stored guardrail came from: the control-plane API (mutable) or the config file (read-only). */
export type GuardrailOrigin = "api" | "config";

/** One version of one guardrail, as the store returns it. */
export interface GuardrailVersionRecord {
  readonly id: string;
  readonly arn: string;
  /** "DRAFT" or "1", "2", … */
  readonly version: string;
  readonly status: "READY";
  readonly origin: GuardrailOrigin;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** A numbered version's own description (CreateGuardrailVersion), else the guardrail's. */
  readonly description?: string;
  readonly definition: GuardrailDefinition;
}

/** Whether a filter entry runs for a source and what it does there (defaults as the control-plane model documents). */
export interface SourceSetting<A extends string> { readonly enabled: boolean; readonly action: A }

type Directional<A extends string> = {
  inputAction?: A; outputAction?: A; inputEnabled?: boolean; outputEnabled?: boolean;
};

export function settingFor<A extends string>(entry: Directional<A>, source: GuardrailSource, fallback: A): SourceSetting<A> {
  return source === "INPUT"
    ? { enabled: entry.inputEnabled ?? true, action: entry.inputAction ?? fallback }
    : { enabled: entry.outputEnabled ?? true, action: entry.outputAction ?? fallback };
}

export type {
  GuardrailContentFilterConfig, GuardrailContextualGroundingFilterConfig, GuardrailManagedWordsConfig,
  GuardrailPiiEntityConfig, GuardrailRegexConfig, GuardrailTopicConfig, GuardrailWordConfig,
};
