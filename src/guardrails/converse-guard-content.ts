// Which parts of a Converse request a guardrail assesses, as ApplyGuardrail content blocks, and how masked
// text goes back into the request. Bedrock's rules:
// - system: only its guardContent blocks;
// - messages: when any message holds guardContent blocks, only those; otherwise every text (and png/jpeg
//   image) block of every message — the whole conversation.
// guardContent text qualified `grounding_source` or `query` is a reference for contextual grounding of the
// answer, never guarded itself.
import type { ConverseInput } from "../core/model.js";
import type {
  ContentBlock, GuardrailContentBlock, GuardrailConverseContentBlock, Message, SystemContentBlock,
} from "../core/shapes.generated.js";

/** Where an assessed block sits in the request. */
interface Origin { readonly message?: number; readonly block: number; readonly guard: boolean }

export interface GuardedInput {
  readonly content: GuardrailContentBlock[];
  readonly origins: Origin[];
}

function fromGuardContent(g: GuardrailConverseContentBlock): GuardrailContentBlock | undefined {
  if ("text" in g) return { text: g.text.qualifiers ? { text: g.text.text, qualifiers: g.text.qualifiers } : { text: g.text.text } };
  if ("image" in g && "bytes" in g.image.source) return { image: { format: g.image.format, source: { bytes: g.image.source.bytes } } };
  return undefined;
}

function fromBlock(b: ContentBlock): GuardrailContentBlock | undefined {
  if ("text" in b) return { text: { text: b.text } };
  if ("image" in b && (b.image.format === "png" || b.image.format === "jpeg") && "bytes" in b.image.source) {
    return { image: { format: b.image.format, source: { bytes: b.image.source.bytes } } };
  }
  return undefined;
}

export function guardedInput(input: ConverseInput): GuardedInput {
  const content: GuardrailContentBlock[] = [];
  const origins: Origin[] = [];
  const push = (block: GuardrailContentBlock | undefined, origin: Origin) => {
    if (!block) return;
    content.push(block);
    origins.push(origin);
  };
  (input.system ?? []).forEach((s: SystemContentBlock, block) => {
    if ("guardContent" in s) push(fromGuardContent(s.guardContent), { block, guard: true });
  });
  const messages: Message[] = input.messages ?? [];
  const anyGuarded = messages.some((m) => m.content.some((b) => "guardContent" in b));
  messages.forEach((m, message) => m.content.forEach((b, block) => {
    if ("guardContent" in b) push(fromGuardContent(b.guardContent), { message, block, guard: true });
    else if (!anyGuarded) push(fromBlock(b), { message, block, guard: false });
  }));
  return { content, origins };
}

/** The reference blocks (grounding source, query) of a request, for assessing its answer. */
export function groundingReferences(guarded: GuardedInput): GuardrailContentBlock[] {
  return guarded.content.filter((b) =>
    "text" in b && (b.text.qualifiers ?? []).some((q) => q === "grounding_source" || q === "query"));
}

/** The request with masked texts written back into the blocks they came from (others untouched). */
export function withMaskedInput(input: ConverseInput, guarded: GuardedInput, masked: readonly (string | undefined)[]): ConverseInput {
  let system = input.system;
  let messages = input.messages;
  guarded.origins.forEach((origin, i) => {
    const text = masked[i];
    const original = guarded.content[i];
    if (text === undefined || !("text" in original) || text === original.text.text) return;
    if (origin.message === undefined) {
      system = [...(system ?? [])];
      const s = system[origin.block] as { guardContent: { text: { text: string; qualifiers?: never } } };
      system[origin.block] = { guardContent: { text: { ...s.guardContent.text, text } } };
      return;
    }
    messages = [...(messages ?? [])];
    const m = messages[origin.message];
    const content = [...m.content];
    const b = content[origin.block];
    content[origin.block] = origin.guard && "guardContent" in b && "text" in b.guardContent
      ? { guardContent: { text: { ...b.guardContent.text, text } } }
      : { text };
    messages[origin.message] = { ...m, content };
  });
  // Nothing masked (most requests): the request itself, not a copy.
  return system === input.system && messages === input.messages ? input : { ...input, system, messages };
}
