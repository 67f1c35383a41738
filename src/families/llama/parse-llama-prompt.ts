// The Llama 3 chat template read back into turns:
//   <|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|>
//   <|start_header_id|>user<|end_header_id|>\n\n{user}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n
// The trailing empty assistant header is the generation cue; a non-empty one is a prefill. `ipython` /
// `tool` turns (Llama 3.1 tool output) count as user turns. `<|image|>` marks where each of the body's
// images goes. Returns undefined when the prompt does not follow the template.
import type { ContentBlock, ConversationRole } from "../../core/shapes.generated.js";
import { Conversation, imageBlock } from "../../formats/converse/conversation.js";

const BEGIN = "<|begin_of_text|>";
const HEADER = /<\|start_header_id\|>([a-z_]+)<\|end_header_id\|>/y;
const TURN_END = /<\|eot_id\|>|<\|eom_id\|>/g;
const IMAGE = "<|image|>";

const ROLES: Record<string, ConversationRole | "system"> = {
  system: "system", user: "user", assistant: "assistant", ipython: "user", tool: "user",
};

/** Text with `<|image|>` markers → blocks, taking images from the queue in order. */
function blocksOf(text: string, images: string[]): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  const parts = text.split(IMAGE);
  parts.forEach((part, i) => {
    if (i > 0 && images.length) blocks.push(imageBlock(images.shift()!));
    const t = i === parts.length - 1 ? part.trimEnd() : part;
    if (t.trim() !== "") blocks.push({ text: i === 0 ? t.trimStart() : t });
  });
  return blocks;
}

export function parseLlamaPrompt(prompt: string, images: string[]): Conversation | undefined {
  let text = prompt.trimStart();
  if (text.startsWith(BEGIN)) text = text.slice(BEGIN.length);
  const queue = [...images];
  const conversation = new Conversation();
  let at = 0;
  let turns = 0;
  while (at < text.length) {
    // Only whitespace may sit between turns.
    while (at < text.length && /\s/.test(text[at])) at++;
    if (at >= text.length) break;
    HEADER.lastIndex = at;
    const header = HEADER.exec(text);
    if (!header) return undefined;
    const role = ROLES[header[1]];
    if (!role) return undefined;
    const start = HEADER.lastIndex;
    TURN_END.lastIndex = start;
    const end = TURN_END.exec(text);
    const body = text.slice(start, end ? end.index : text.length);
    if (body.includes("<|start_header_id|>")) return undefined;
    turns++;
    if (role === "system") conversation.addSystem(body.trim());
    else conversation.add(role, blocksOf(body, queue));
    at = end ? end.index + end[0].length : text.length;
  }
  if (turns === 0) return undefined;
  // Images without a marker go before the text of the last user turn, where Llama vision expects them.
  if (queue.length) attachImages(conversation, queue);
  return conversation;
}

export function attachImages(conversation: Conversation, images: string[]): void {
  const lastUser = [...conversation.messages].reverse().find((m) => m.role === "user");
  const blocks = images.map(imageBlock);
  if (lastUser) lastUser.content.unshift(...blocks);
  else conversation.add("user", blocks);
}
