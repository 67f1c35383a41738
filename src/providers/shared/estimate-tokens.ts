// Token estimates for CountTokens and for upstreams that report no usage. Chat Completions servers
// have no count-tokens endpoint in common, and each model has its own tokenizer, so this is the usual
// rule of thumb for English text with BPE tokenizers: one token per four characters, plus a few
// tokens of chat-template framing per message. Good for budgeting, not for billing.
import type { ContentBlock, CountTokensInput, Message, SystemContentBlock, ToolConfiguration } from "../../core/shapes.generated.js";

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;
// What OpenAI charges for a low-detail image; local vision models are in the same range.
const TOKENS_PER_IMAGE = 85;

export function estimateTextTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function estimateInputTokens(input: {
  messages?: Message[];
  system?: SystemContentBlock[];
  toolConfig?: ToolConfiguration;
}): number {
  let chars = 0;
  let extra = 0;
  for (const s of input.system ?? []) if ("text" in s) chars += s.text.length;
  if (input.system && input.system.length > 0) extra += TOKENS_PER_MESSAGE;
  for (const m of input.messages ?? []) {
    extra += TOKENS_PER_MESSAGE;
    for (const block of m.content) {
      const c = blockChars(block);
      if (c < 0) extra += TOKENS_PER_IMAGE;
      else chars += c;
    }
  }
  for (const t of input.toolConfig?.tools ?? []) if ("toolSpec" in t) chars += JSON.stringify(t.toolSpec).length;
  return estimateTextTokens(chars) + extra;
}

/** Characters a block contributes; -1 for an image (counted as a fixed number of tokens). */
function blockChars(block: ContentBlock): number {
  if ("text" in block) return block.text.length;
  if ("image" in block) return -1;
  if ("toolUse" in block) return block.toolUse.name.length + JSON.stringify(block.toolUse.input ?? {}).length;
  if ("toolResult" in block) return JSON.stringify(block.toolResult.content).length;
  if ("document" in block) {
    const s = block.document.source;
    if ("text" in s) return s.text.length;
    if ("bytes" in s) return Math.floor((s.bytes.length * 3) / 4);
    if ("content" in s) return s.content.reduce((n, c) => n + c.text.length, 0);
    return 0;
  }
  if ("reasoningContent" in block) return "reasoningText" in block.reasoningContent ? block.reasoningContent.reasoningText.text.length : 0;
  return 0;
}

export function estimateCountTokens(input: CountTokensInput): number {
  if ("converse" in input) return estimateInputTokens(input.converse);
  if ("invokeModel" in input) return estimateTextTokens(Math.floor((input.invokeModel.body.length * 3) / 4));
  return 0;
}
