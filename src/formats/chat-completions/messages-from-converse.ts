// Converse messages → Chat Completions messages. Tool results become `role: "tool"` messages placed
// right after the assistant turn that called them (Chat Completions requires that order); anything
// else in the same user turn, and images a tool returned, follow as one user message.
import { BedrockError } from "../../core/errors.js";
import type {
  AudioBlock, ContentBlock, DocumentBlock, ImageBlock, Message, SystemContentBlock, ToolResultBlock,
} from "../../core/shapes.generated.js";
import type { OpenAIContentPart, OpenAIMessage, OpenAIToolCall } from "./types.js";

/** What the messages need to know to word refusals the way Bedrock does (naming the served model). */
export interface MessagesFromConverseOptions {
  servedModelId: string;
}

// Chat Completions servers accept text; these formats are text already, so they travel as text.
const TEXT_DOCUMENT_FORMATS = new Set(["txt", "md", "csv", "html"]);
// The formats Chat Completions' `input_audio` part takes.
const AUDIO_FORMATS = new Set(["wav", "mp3"]);
const IMAGE_MIME: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

function unsupported(opts: MessagesFromConverseOptions, what: string, fix: string): BedrockError {
  return new BedrockError("ValidationException", `The model ${opts.servedModelId} doesn't support ${what}. ${fix}`);
}

export function chatSystemFromConverse(system: readonly SystemContentBlock[] | undefined): OpenAIMessage | undefined {
  if (!system || system.length === 0) return undefined;
  const texts: string[] = [];
  for (const block of system) {
    if ("text" in block) texts.push(block.text);
    else if ("guardContent" in block && "text" in block.guardContent) texts.push(block.guardContent.text.text);
    // cachePoint: Chat Completions servers cache prompt prefixes on their own; nothing to send.
  }
  // One system message: many chat templates (llama.cpp, vLLM) accept a single leading system turn only.
  return texts.length > 0 ? { role: "system", content: texts.join("\n") } : undefined;
}

export function chatMessagesFromConverse(messages: readonly Message[], opts: MessagesFromConverseOptions): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  for (const message of messages) {
    if (message.role === "assistant") out.push(convertAssistant(message.content, opts));
    else if (message.role === "system") {
      const system = chatSystemFromConverse(message.content.filter((b): b is { text: string } => "text" in b));
      if (system) out.push(system);
    } else convertUser(message.content, opts, out);
  }
  return out;
}

function convertAssistant(content: readonly ContentBlock[], opts: MessagesFromConverseOptions): OpenAIMessage {
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of content) {
    if ("text" in block) texts.push(block.text);
    else if ("toolUse" in block) {
      const { toolUseId, name, input } = block.toolUse;
      toolCalls.push({ id: toolUseId, type: "function", function: { name, arguments: JSON.stringify(input ?? {}) } });
    } else if ("citationsContent" in block) {
      for (const c of block.citationsContent.content ?? []) texts.push(c.text);
    } else if ("image" in block || "document" in block || "video" in block || "audio" in block) {
      const field = Object.keys(block)[0];
      throw unsupported(opts, `the ${field} field for assistant messages`, `Remove ${field} and try again.`);
    }
    // reasoningContent: Chat Completions servers do not take reasoning back as input (DeepSeek rejects
    // it), so earlier reasoning is left out. cachePoint: nothing to send.
  }
  const message: OpenAIMessage = { role: "assistant", content: texts.length > 0 ? texts.join("\n") : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function convertUser(content: readonly ContentBlock[], opts: MessagesFromConverseOptions, out: OpenAIMessage[]): void {
  const parts: OpenAIContentPart[] = [];
  const toolImages: OpenAIContentPart[] = [];
  for (const block of content) {
    if ("text" in block) parts.push({ type: "text", text: block.text });
    else if ("image" in block) parts.push(imagePart(block.image, opts));
    else if ("document" in block) parts.push({ type: "text", text: documentText(block.document, opts) });
    else if ("audio" in block) parts.push(audioPart(block.audio, opts));
    else if ("video" in block) throw unsupported(opts, "the video field for user messages", "Remove video and try again.");
    else if ("toolResult" in block) out.push(toolMessage(block.toolResult, opts, toolImages));
    else if ("guardContent" in block) {
      const g = block.guardContent;
      if ("text" in g) parts.push({ type: "text", text: g.text.text });
      else parts.push(imagePart({ format: g.image.format, source: g.image.source }, opts));
    } else if ("searchResult" in block) parts.push({ type: "text", text: searchResultText(block.searchResult) });
    else if ("citationsContent" in block) {
      for (const c of block.citationsContent.content ?? []) parts.push({ type: "text", text: c.text });
    }
    // cachePoint: nothing to send.
  }
  const all = toolImages.length > 0 ? [...toolImages, ...parts] : parts;
  if (all.length === 0) return;
  // A lone text part goes as a plain string: the form every server's chat template understands.
  out.push({ role: "user", content: all.length === 1 && all[0].type === "text" ? all[0].text : all });
}

function toolMessage(result: ToolResultBlock, opts: MessagesFromConverseOptions, images: OpenAIContentPart[]): OpenAIMessage {
  const texts: string[] = [];
  for (const block of result.content) {
    if ("text" in block) texts.push(block.text);
    else if ("json" in block) texts.push(JSON.stringify(block.json));
    else if ("image" in block) images.push(imagePart(block.image, opts)); // tool messages carry text only
    else if ("document" in block) texts.push(documentText(block.document, opts));
    else if ("searchResult" in block) texts.push(searchResultText(block.searchResult));
    else if ("video" in block) throw unsupported(opts, "the video field in tool results", "Remove video and try again.");
  }
  let text = texts.join("\n");
  // Chat Completions has no error flag on tool results; the model has to read it.
  if (result.status === "error") text = `Error: ${text}`;
  return { role: "tool", tool_call_id: result.toolUseId, content: text };
}

function imagePart(image: ImageBlock, opts: MessagesFromConverseOptions): OpenAIContentPart {
  if (!("bytes" in image.source)) {
    throw unsupported(opts, "images from an S3 location", "Send the image as bytes and try again.");
  }
  return { type: "image_url", image_url: { url: `data:${IMAGE_MIME[image.format] ?? `image/${image.format}`};base64,${image.source.bytes}` } };
}

function audioPart(audio: AudioBlock, opts: MessagesFromConverseOptions): OpenAIContentPart {
  if (!AUDIO_FORMATS.has(audio.format)) {
    throw unsupported(opts, `audio in ${audio.format} format`, "Use wav or mp3, or remove audio and try again.");
  }
  if (!("bytes" in audio.source)) throw unsupported(opts, "audio from an S3 location", "Send the audio as bytes and try again.");
  return { type: "input_audio", input_audio: { data: audio.source.bytes, format: audio.format } };
}

/** A text-like document as the text the model reads, wrapped so its name and format survive. */
function documentText(doc: DocumentBlock, opts: MessagesFromConverseOptions): string {
  const format = doc.format ?? "txt";
  if (!TEXT_DOCUMENT_FORMATS.has(format)) {
    throw unsupported(opts, `documents in ${format} format`, "Use txt, md, csv or html, or remove document and try again.");
  }
  const source = doc.source;
  let body: string;
  if ("text" in source) body = source.text;
  else if ("content" in source) body = source.content.map((c) => c.text).join("\n");
  else if ("bytes" in source) body = Buffer.from(source.bytes, "base64").toString("utf8");
  else throw unsupported(opts, "documents from an S3 location", "Send the document as bytes or text and try again.");
  return `<document name="${doc.name}" format="${format}">\n${body}\n</document>`;
}

function searchResultText(r: { source: string; title: string; content: { text: string }[] }): string {
  return `<search_result source="${r.source}" title="${r.title}">\n${r.content.map((c) => c.text).join("\n")}\n</search_result>`;
}
