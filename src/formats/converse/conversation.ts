// Building a Converse request from a family's native body, and reading a Converse answer back: the
// pieces every text/chat family (Llama, Titan, Mistral, Cohere, OpenAI-style) needs.
import type { ConverseInput, ConverseOutput } from "../../core/model.js";
import type {
  ContentBlock, ConversationRole, ImageFormat, InferenceConfiguration, Message, StopReason, SystemContentBlock, TokenUsage,
} from "../../core/shapes.generated.js";

/** Collects turns, merging consecutive same-role turns: Converse wants user and assistant to alternate. */
export class Conversation {
  readonly system: SystemContentBlock[] = [];
  readonly messages: Message[] = [];

  add(role: ConversationRole, blocks: ContentBlock[]): void {
    if (blocks.length === 0) return;
    const last = this.messages[this.messages.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else this.messages.push({ role, content: [...blocks] });
  }

  addText(role: ConversationRole, text: string): void {
    if (text !== "") this.add(role, [{ text }]);
  }

  addSystem(text: string): void {
    if (text !== "") this.system.push({ text });
  }

  /** The Converse input; a conversation that ended up empty still asks something (an empty user text). */
  toInput(inference: InferenceConfiguration): ConverseInput {
    if (this.messages.length === 0 || this.messages[0].role !== "user") this.messages.unshift({ role: "user", content: [{ text: "" }] });
    const input: ConverseInput = { messages: this.messages };
    if (this.system.length) input.system = this.system;
    const cfg = dropUndefined(inference);
    if (Object.keys(cfg).length) input.inferenceConfig = cfg;
    return input;
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `stop` fields that take either one string or a list. */
export function stopList(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  return Array.isArray(v) && v.length ? (v as string[]) : undefined;
}

const MAGIC: [ImageFormat, number[]][] = [
  ["png", [0x89, 0x50, 0x4e, 0x47]],
  ["jpeg", [0xff, 0xd8, 0xff]],
  ["gif", [0x47, 0x49, 0x46]],
  ["webp", [0x52, 0x49, 0x46, 0x46]],
];

/** A base64 image whose format is read from its first bytes, as native bodies carry no format. */
/** The image format its first bytes name (png, jpeg, gif, webp), or undefined for anything else. */
export function sniffImageFormat(base64: string): ImageFormat | undefined {
  const head = Buffer.from(base64.slice(0, 16), "base64");
  return MAGIC.find(([, sig]) => sig.every((b, i) => head[i] === b))?.[0];
}

export function imageBlock(base64: string): ContentBlock {
  const head = Buffer.from(base64.slice(0, 16), "base64");
  const format = MAGIC.find(([, sig]) => sig.every((b, i) => head[i] === b))?.[0] ?? "png";
  return { image: { format, source: { bytes: base64 } } };
}

export interface ToolCallOut { id: string; name: string; input: unknown }

/** What a Converse answer says, flattened: text, reasoning and tool calls in order. */
export interface Reply {
  text: string;
  reasoning: string;
  toolCalls: ToolCallOut[];
  stopReason: StopReason;
  usage: ReplyUsage;
}

export function readReply(output: ConverseOutput): Reply {
  const content = output.output && "message" in output.output ? output.output.message.content : [];
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCallOut[] = [];
  for (const b of content) {
    if ("text" in b) text += b.text;
    else if ("toolUse" in b) toolCalls.push({ id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input ?? {} });
    else if ("reasoningContent" in b && "reasoningText" in b.reasoningContent) reasoning += b.reasoningContent.reasoningText.text;
  }
  return { text, reasoning, toolCalls, stopReason: output.stopReason, usage: usageOf(output.usage) };
}

export type ReplyUsage = Pick<TokenUsage, "inputTokens" | "outputTokens" | "cacheReadInputTokens" | "cacheWriteInputTokens">;

/** The counts a family's answer reports, cache reads and writes kept where there were any (OpenAI's usage adds them up). */
export function usageOf(u: TokenUsage | undefined): ReplyUsage {
  const out: ReplyUsage = { inputTokens: u?.inputTokens ?? 0, outputTokens: u?.outputTokens ?? 0 };
  if (u?.cacheReadInputTokens) out.cacheReadInputTokens = u.cacheReadInputTokens;
  if (u?.cacheWriteInputTokens) out.cacheWriteInputTokens = u.cacheWriteInputTokens;
  return out;
}
