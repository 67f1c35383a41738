// The served models as the control plane's catalogue describes them: one FoundationModelDetails per served
// foundation-model id and one system-defined inference profile per `us.` / `eu.` / `global.` form that
// resolves. Provider name and modalities follow the id's family (an `anthropic.*` id is an Anthropic model
// whichever backend serves it); `models[].catalog` in the config overrides any of them.
import type {
  FoundationModelDetails, InferenceProfileSummary, ModelModality,
} from "../../../core/control-plane-shapes.generated.js";
import type { ModelConfig } from "../../../config/schema.js";
import { arnResource, withoutProfilePrefix } from "../../../core/model-id.js";

export const CATALOG_REGION = "us-east-1";
export const CATALOG_ACCOUNT = "000000000000";
/** The geographic forms Basalt lists as inference profiles (each resolves to its foundation model). */
export const PROFILE_GEOGRAPHIES = ["us", "eu", "global"] as const;

// The model's providerName is at most 20 characters (bedrock.service-2.json BrandedName).
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  anthropic: "Anthropic", amazon: "Amazon", meta: "Meta", mistral: "Mistral AI", cohere: "Cohere",
  openai: "OpenAI", ai21: "AI21 Labs", deepseek: "DeepSeek", stability: "Stability AI", writer: "Writer",
  qwen: "Qwen", basalt: "Basalt",
};

const limit20 = (s: string): string => (s.length <= 20 ? s : s.slice(0, 20).trimEnd());

/** `anthropic.claude-3-5-haiku-20241022-v1:0` → "anthropic". */
export function vendorOf(modelId: string): string {
  const base = withoutProfilePrefix(arnResource(modelId));
  const dot = base.indexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

export function providerNameOf(modelId: string): string {
  const vendor = vendorOf(modelId);
  return limit20(PROVIDER_NAMES[vendor] ?? vendor.charAt(0).toUpperCase() + vendor.slice(1));
}

/**
 * The name part of an id, without date and version, written as the catalogue writes names: version digits
 * joined by points, sizes in capitals (`anthropic.claude-3-5-haiku-20241022-v1:0` → "Claude 3.5 Haiku",
 * `meta.llama3-1-8b-instruct-v1:0` → "Llama 3.1 8B Instruct").
 */
export function modelNameOf(modelId: string): string {
  const base = withoutProfilePrefix(arnResource(modelId));
  const words = base.slice(base.indexOf(".") + 1)
    .replace(/-(v\d+(:\d+)?|\d+:\d+)$/, "")
    .replace(/-\d{8}$/, "")
    .split(/[-_]/)
    .filter(Boolean)
    // "llama3" → "llama", "3": a family name with its version glued on.
    .flatMap((w) => /^[a-z]+\d+$/i.test(w) ? [w.replace(/\d+$/, ""), w.replace(/^[a-z]+/i, "")] : [w]);
  const out: string[] = [];
  for (const w of words) {
    const previous = out[out.length - 1];
    if (/^\d+$/.test(w) && previous !== undefined && /^\d+(\.\d+)*$/.test(previous)) out[out.length - 1] = `${previous}.${w}`;
    else if (/^\d+[bkm]$/i.test(w)) out.push(w.toUpperCase());
    else out.push(w.charAt(0).toUpperCase() + w.slice(1));
  }
  return limit20(out.join(" ") || base);
}

function modalitiesOf(modelId: string): { input: ModelModality[]; output: ModelModality[] } {
  const base = withoutProfilePrefix(arnResource(modelId));
  if (/embed/.test(base)) return { input: ["TEXT"], output: ["EMBEDDING"] };
  if (/canvas|image-generator|stable-diffusion|sd3|titan-image/.test(base)) return { input: ["TEXT", "IMAGE"], output: ["IMAGE"] };
  const vendor = vendorOf(modelId);
  const seesImages = vendor === "anthropic" && !/claude-(instant|v2)/.test(base)
    || /nova-(lite|pro|premier)|llama3-2-(11|90)b|llama4|pixtral/.test(base);
  return { input: seesImages ? ["TEXT", "IMAGE"] : ["TEXT"], output: ["TEXT"] };
}

export const foundationModelArn = (id: string): string => `arn:aws:bedrock:${CATALOG_REGION}::foundation-model/${id}`;
export const inferenceProfileArn = (id: string): string =>
  `arn:aws:bedrock:${CATALOG_REGION}:${CATALOG_ACCOUNT}:inference-profile/${id}`;

/** The catalogue entry of one served model (config overrides applied). */
export function foundationModelOf(entry: ModelConfig): FoundationModelDetails {
  const o = entry.catalog ?? {};
  const m = modalitiesOf(entry.id);
  return {
    modelArn: foundationModelArn(entry.id),
    modelId: entry.id,
    modelName: o.modelName ?? modelNameOf(entry.id),
    providerName: o.providerName ?? providerNameOf(entry.id),
    inputModalities: o.inputModalities ?? m.input,
    outputModalities: o.outputModalities ?? m.output,
    responseStreamingSupported: o.responseStreamingSupported ?? !m.output.includes("EMBEDDING"),
    customizationsSupported: [],
    inferenceTypesSupported: o.inferenceTypesSupported ?? ["ON_DEMAND"],
    modelLifecycle: { status: o.lifecycleStatus ?? "ACTIVE" },
  };
}

/** Served foundation-model entries: ids that are not themselves a profile form or an ARN. */
export function foundationEntries(models: readonly ModelConfig[]): ModelConfig[] {
  return models.filter((m) => !m.id.startsWith("arn:") && withoutProfilePrefix(m.id) === m.id);
}

/** Every system-defined profile: each geography of each foundation model, plus served ids that are profile forms. */
export function inferenceProfiles(models: readonly ModelConfig[]): InferenceProfileSummary[] {
  const out = new Map<string, InferenceProfileSummary>();
  const add = (profileId: string, base: string, name: string) => {
    if (out.has(profileId)) return;
    const geo = profileId.slice(0, profileId.indexOf("."));
    out.set(profileId, {
      inferenceProfileName: `${geo.toUpperCase()} ${name}`,
      description: `Routes requests to ${name} (${base}).`,
      inferenceProfileArn: inferenceProfileArn(profileId),
      models: [{ modelArn: foundationModelArn(base) }],
      inferenceProfileId: profileId,
      status: "ACTIVE",
      type: "SYSTEM_DEFINED",
    });
  };
  for (const m of models) {
    if (m.id.startsWith("arn:")) continue;
    const base = withoutProfilePrefix(m.id);
    const name = m.catalog?.modelName ?? modelNameOf(base);
    if (base !== m.id) add(m.id, base, name);
    else for (const geo of PROFILE_GEOGRAPHIES) add(`${geo}.${m.id}`, base, name);
  }
  return [...out.values()];
}
