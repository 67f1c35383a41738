// Which native InvokeModel body a modelId speaks: the model's `family` in the config, else its id prefix.
import type { ModelFamily, ModelInfo } from "../core/model-info.js";
import { validationError } from "../core/errors.js";
import { baseModelId, withoutProfilePrefix } from "../core/model-id.js";
import type { Family } from "./family.js";
import { anthropicFamily } from "./anthropic.js";
import { echoFamily } from "./echo.js";
import { novaFamily } from "./nova.js";
import { llamaFamily } from "./llama.js";
import { titanFamily } from "./titan.js";
import { mistralFamily } from "./mistral.js";
import { cohereFamily } from "./cohere.js";
import { openaiFamily } from "./openai.js";

/** Registered families; each family file adds itself here (one line per family). */
export const families: Partial<Record<ModelFamily, Family>> = {
  anthropic: anthropicFamily,
  nova: novaFamily,
  echo: echoFamily,
  llama: llamaFamily,
  titan: titanFamily,
  mistral: mistralFamily,
  cohere: cohereFamily,
  openai: openaiFamily,
};

// Prefixes after any ARN resource path and geographic inference-profile prefix are stripped.
const PREFIXES: [string, ModelFamily][] = [
  ["anthropic.", "anthropic"],
  ["amazon.nova", "nova"],
  ["meta.", "llama"],
  ["amazon.titan-text", "titan"],
  ["mistral.", "mistral"],
  ["cohere.command-r", "cohere"],
  ["openai.", "openai"],
  ["basalt.echo", "echo"],
];

export function familyNameFor(modelId: string, entry?: ModelInfo): ModelFamily | undefined {
  if (entry?.family) return entry.family;
  const tail = baseModelId(modelId);
  for (const candidate of [tail, entry?.id, entry?.model]) {
    if (!candidate) continue;
    const id = withoutProfilePrefix(candidate);
    const hit = PREFIXES.find(([p]) => id.startsWith(p));
    if (hit) return hit[1];
  }
  return undefined;
}

export function familyFor(modelId: string, entry?: ModelInfo): Family | undefined {
  const name = familyNameFor(modelId, entry);
  return name ? families[name] : undefined;
}

/** The family that reads a model's native bodies; a model without one cannot take InvokeModel bodies. */
export function requireFamily(modelId: string, entry: ModelInfo): Family {
  const family = familyFor(modelId, entry);
  if (!family) {
    throw validationError(
      `The model ${modelId} has no InvokeModel request format in Basalt. Set family for this model in the Basalt config, or use Converse, and try again.`,
    );
  }
  return family;
}
