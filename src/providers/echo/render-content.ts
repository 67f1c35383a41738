// Renders content blocks as text, by the echo model's documented rules.
import type {
  ContentBlock, DocumentBlock, ImageBlock, SystemContentBlock, ToolResultContentBlock, VideoBlock,
} from "../../core/shapes.generated.js";

export function decodedLength(base64: string): number {
  const pad = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - pad;
}

function sourceSize(source: Record<string, unknown>): string {
  if (typeof source.bytes === "string") return `${decodedLength(source.bytes)} bytes`;
  if (typeof source.text === "string") return `${Buffer.byteLength(source.text)} bytes`;
  if (Array.isArray(source.content)) {
    const text = source.content.map((c: { text?: string }) => c.text ?? "").join("");
    return `${Buffer.byteLength(text)} bytes`;
  }
  const s3 = source.s3Location as { uri?: string } | undefined;
  return s3?.uri ?? "0 bytes";
}

const media = (kind: string, block: ImageBlock | DocumentBlock | VideoBlock, format: string) =>
  `[${kind} ${format} ${sourceSize(block.source as Record<string, unknown>)}]`;

function renderToolResultItem(item: ToolResultContentBlock): string {
  if ("text" in item) return item.text;
  if ("json" in item) return JSON.stringify(item.json);
  if ("image" in item) return media("image", item.image, item.image.format);
  if ("document" in item) return media("document", item.document, item.document.format ?? "txt");
  if ("video" in item) return media("video", item.video, item.video.format);
  if ("searchResult" in item) return item.searchResult.content.map((c) => c.text).join("\n");
  return "";
}

/** The text of one block, or undefined for blocks that render as nothing (cachePoint). */
export function renderBlock(block: ContentBlock): string | undefined {
  if ("text" in block) return block.text;
  if ("image" in block) return media("image", block.image, block.image.format);
  if ("document" in block) return media("document", block.document, block.document.format ?? "txt");
  if ("video" in block) return media("video", block.video, block.video.format);
  if ("audio" in block) return `[audio ${block.audio.format} ${sourceSize(block.audio.source as Record<string, unknown>)}]`;
  if ("toolUse" in block) return JSON.stringify(block.toolUse.input ?? {});
  if ("toolResult" in block) {
    const r = block.toolResult;
    return `toolResult ${r.toolUseId} ${r.status ?? "success"}: ${r.content.map(renderToolResultItem).join("\n")}`;
  }
  if ("guardContent" in block) {
    const g = block.guardContent;
    return "text" in g ? g.text.text : `[image ${g.image.format} ${decodedLength(g.image.source && "bytes" in g.image.source ? g.image.source.bytes : "")} bytes]`;
  }
  if ("reasoningContent" in block) {
    const r = block.reasoningContent;
    return "reasoningText" in r ? r.reasoningText.text : undefined;
  }
  if ("citationsContent" in block) return (block.citationsContent.content ?? []).map((c) => ("text" in c ? c.text : "")).join("");
  if ("searchResult" in block) return block.searchResult.content.map((c) => c.text).join("\n");
  return undefined;
}

export function renderSystemBlock(block: SystemContentBlock): string | undefined {
  if ("text" in block) return block.text;
  if ("guardContent" in block) return renderBlock({ guardContent: block.guardContent });
  return undefined;
}

export function renderBlocks(blocks: ContentBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const r = renderBlock(b);
    if (r !== undefined) out.push(r);
  }
  return out;
}
