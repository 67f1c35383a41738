// A model id taken from a URL path segment (`/v1/models/{id}`), as the OpenAI and Anthropic model routes name
// one: SDKs percent-encode it (a Bedrock id's `:` arrives as `%3A`).
import type { ModelCatalog } from "../../core/model-info.js";

/** The catalog id the segment names (an alias resolves to its own id), or undefined if none is served. */
export function servedModelId(catalog: ModelCatalog, segment: string): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return catalog.resolve(id)?.info.id;
}
