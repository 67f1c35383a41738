// Converse messages and system blocks → Messages API content blocks. Most Converse blocks have a
// native Anthropic twin (Bedrock's Converse API was shaped after it); the rest are refused the way
// Bedrock refuses what a model cannot take, naming the served model.
import { BedrockError } from "../../core/errors.js";
import type {
  CachePointBlock, ContentBlock, DocumentBlock, ImageBlock, Message, SearchResultBlock, SystemContentBlock,
  ToolResultBlock,
} from "../../core/shapes.generated.js";
import type {
  AnthropicCacheControl, AnthropicDocumentBlock, AnthropicImageBlock, AnthropicMessage, AnthropicRequestBlock,
  AnthropicSearchResultBlock, AnthropicTextBlock, AnthropicToolResultContent,
} from "./types.js";
import { anthropicBlockFromConverse } from "./blocks-from-converse.js";

export interface MessagesFromConverseOptions {
  /** The modelId clients use, for error messages. */
  servedModelId: string;
}

const IMAGE_MEDIA_TYPES: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };
// Formats the Messages API takes as a text document (its text source is always text/plain).
const TEXT_DOCUMENT_FORMATS = new Set(["txt", "md", "csv", "html"]);

const NOTHING_TO_CACHE = "There is nothing available to cache. Please remove the invalid cache point and try again.";

function unsupported(opts: MessagesFromConverseOptions, what: string, fix: string): BedrockError {
  return new BedrockError("ValidationException", `The model ${opts.servedModelId} doesn't support ${what}. ${fix}`);
}

/** Bedrock's cachePoint → Anthropic's cache_control. The 5-minute TTL is Anthropic's default, so only 1h is spelled out. */
export function cacheControl(point: CachePointBlock): AnthropicCacheControl {
  return point.ttl === "1h" ? { type: "ephemeral", ttl: "1h" } : { type: "ephemeral" };
}

/** Marks the block a cachePoint follows; a cachePoint with nothing before it is refused as Bedrock refuses it. */
export function attachCachePoint(blocks: { cache_control?: AnthropicCacheControl }[], point: CachePointBlock): void {
  const last = blocks[blocks.length - 1];
  if (!last) throw new BedrockError("ValidationException", NOTHING_TO_CACHE);
  last.cache_control = cacheControl(point);
}

export function anthropicSystemFromConverse(system: readonly SystemContentBlock[] | undefined, out: AnthropicTextBlock[] = []): AnthropicTextBlock[] {
  for (const block of system ?? []) {
    if ("text" in block) out.push({ type: "text", text: block.text });
    else if ("guardContent" in block && "text" in block.guardContent) out.push({ type: "text", text: block.guardContent.text.text });
    else if ("cachePoint" in block) attachCachePoint(out, block.cachePoint);
  }
  return out;
}

/**
 * Converse messages → Anthropic messages. Messages with the `system` role (newer Converse models)
 * have no place in Anthropic's messages, so their text joins the top-level system blocks.
 */
export function anthropicMessagesFromConverse(messages: readonly Message[], system: AnthropicTextBlock[], opts: MessagesFromConverseOptions): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === "system") {
      anthropicSystemFromConverse(message.content.filter((b): b is SystemContentBlock => "text" in b || "cachePoint" in b), system);
      continue;
    }
    const content = message.role === "assistant" ? convertAssistant(message.content, opts) : convertUser(message.content, opts);
    out.push({ role: message.role, content });
  }
  return out;
}

function convertAssistant(content: readonly ContentBlock[], opts: MessagesFromConverseOptions): AnthropicRequestBlock[] {
  const out: AnthropicRequestBlock[] = [];
  for (const block of content) {
    const converted = anthropicBlockFromConverse(block);
    if (converted) out.push(converted);
    else if ("cachePoint" in block) attachCachePoint(out, block.cachePoint);
    else {
      const field = Object.keys(block)[0];
      throw unsupported(opts, `the ${field} field for assistant messages`, `Remove ${field} and try again.`);
    }
  }
  return out;
}

function convertUser(content: readonly ContentBlock[], opts: MessagesFromConverseOptions): AnthropicRequestBlock[] {
  const results: AnthropicRequestBlock[] = [];
  const others: AnthropicRequestBlock[] = [];
  // The block a cachePoint marks is the one just before it in the Converse order.
  let last: AnthropicRequestBlock | undefined;
  for (const block of content) {
    let converted: AnthropicRequestBlock | undefined;
    if ("text" in block) converted = { type: "text", text: block.text };
    else if ("image" in block) converted = imageBlock(block.image, opts);
    else if ("document" in block) converted = documentBlock(block.document, opts);
    else if ("toolResult" in block) {
      converted = toolResultBlock(block.toolResult, opts);
      // The Messages API wants tool results ahead of anything else in the turn that answers tool calls.
      results.push(converted);
      last = converted;
      continue;
    } else if ("guardContent" in block) {
      const g = block.guardContent;
      converted = "text" in g ? { type: "text", text: g.text.text } : imageBlock({ format: g.image.format, source: g.image.source }, opts);
    } else if ("searchResult" in block) converted = searchResultBlock(block.searchResult);
    else if ("citationsContent" in block) {
      converted = { type: "text", text: (block.citationsContent.content ?? []).map((c) => c.text).join("") };
    } else if ("cachePoint" in block) {
      attachCachePoint(last ? [last] : [], block.cachePoint);
      continue;
    } else if ("reasoningContent" in block) {
      throw new BedrockError("ValidationException", "User messages cannot contain reasoning content. Please remove the reasoning content and try again.");
    } else {
      const field = Object.keys(block)[0];
      throw unsupported(opts, `the ${field} field for user messages`, `Remove ${field} and try again.`);
    }
    others.push(converted);
    last = converted;
  }
  return results.length > 0 ? [...results, ...others] : others;
}

function toolResultBlock(result: ToolResultBlock, opts: MessagesFromConverseOptions): AnthropicRequestBlock {
  const content: AnthropicToolResultContent[] = [];
  for (const block of result.content) {
    if ("text" in block) content.push({ type: "text", text: block.text });
    else if ("json" in block) content.push({ type: "text", text: JSON.stringify(block.json) });
    else if ("image" in block) content.push(imageBlock(block.image, opts));
    else if ("document" in block) content.push(documentBlock(block.document, opts));
    else if ("searchResult" in block) content.push(searchResultBlock(block.searchResult));
    else if ("video" in block) throw unsupported(opts, "the video field in tool results", "Remove video and try again.");
  }
  const out: AnthropicRequestBlock = { type: "tool_result", tool_use_id: result.toolUseId, content };
  if (result.status === "error") out.is_error = true;
  return out;
}

function imageBlock(image: ImageBlock, opts: MessagesFromConverseOptions): AnthropicImageBlock {
  if (!("bytes" in image.source)) throw unsupported(opts, "images from an S3 location", "Send the image as bytes and try again.");
  const mediaType = IMAGE_MEDIA_TYPES[image.format];
  if (!mediaType) throw unsupported(opts, `images in ${image.format} format`, "Use png, jpeg, gif or webp and try again.");
  return { type: "image", source: { type: "base64", media_type: mediaType, data: image.source.bytes } };
}

/** PDFs go as Anthropic base64 documents; text-like formats as text documents; anything else is refused. */
function documentBlock(doc: DocumentBlock, opts: MessagesFromConverseOptions): AnthropicDocumentBlock {
  const format = doc.format ?? "txt";
  const source = doc.source;
  if ("s3Location" in source) throw unsupported(opts, "documents from an S3 location", "Send the document as bytes or text and try again.");
  let out: AnthropicDocumentBlock;
  if ("content" in source) {
    out = { type: "document", source: { type: "content", content: source.content.map((c) => ({ type: "text", text: c.text })) } };
  } else if ("text" in source) {
    out = { type: "document", source: { type: "text", media_type: "text/plain", data: source.text } };
  } else if (format === "pdf") {
    out = { type: "document", source: { type: "base64", media_type: "application/pdf", data: source.bytes } };
  } else if (TEXT_DOCUMENT_FORMATS.has(format)) {
    out = { type: "document", source: { type: "text", media_type: "text/plain", data: Buffer.from(source.bytes, "base64").toString("utf8") } };
  } else {
    throw unsupported(opts, `documents in ${format} format`, "Use pdf, txt, md, csv or html, or remove document and try again.");
  }
  out.title = doc.name;
  if (doc.context !== undefined) out.context = doc.context;
  if (doc.citations) out.citations = { enabled: doc.citations.enabled };
  return out;
}

function searchResultBlock(r: SearchResultBlock): AnthropicSearchResultBlock {
  const out: AnthropicSearchResultBlock = {
    type: "search_result", source: r.source, title: r.title, content: r.content.map((c) => ({ type: "text", text: c.text })),
  };
  if (r.citations) out.citations = { enabled: r.citations.enabled };
  return out;
}
