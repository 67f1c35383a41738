// Anthropic's own model names as the Anthropic door's clients send them (`claude-sonnet-4-5-20250929`, the alias
// `claude-sonnet-4-5`, `claude-opus-4-8`) → the served Bedrock id of that model
// (`anthropic.claude-sonnet-4-5-20250929-v1:0`, `anthropic.claude-opus-4-8-v1`), so Claude Code and the Anthropic
// SDKs work through the door with their default model names against a config that lists Bedrock ids. A name the
// catalogue serves as it is always wins; this is only asked when it does not.
import type { ModelCatalog } from "../../core/model-info.js";

// What a Bedrock id adds after Anthropic's name: an optional snapshot date, an optional version.
const BEDROCK_SUFFIX = /^(-\d{8})?(-v\d+(:\d+)?)?$/;

/** The served Bedrock id for an Anthropic model name (the newest snapshot, for an alias), or undefined. */
export function bedrockIdOfClaudeName(catalog: ModelCatalog, name: string): string | undefined {
  if (!name.startsWith("claude-")) return undefined;
  const prefix = `anthropic.${name}`;
  const matches = catalog.ids.filter((id) => id.startsWith(prefix) && BEDROCK_SUFFIX.test(id.slice(prefix.length)));
  // Ids of one model differ only in date and version: the greatest sorts last.
  return matches.sort().at(-1);
}
