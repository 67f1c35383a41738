// Messages API request content blocks → Converse content blocks. Problems are collected with JSON
// pointers, so one answer names every malformed block (as Bedrock's schema check does).
import type {
  CachePointBlock, ContentBlock, DocumentFormat, DocumentSource, ImageFormat, JsonValue, SearchResultBlock, ToolResultContentBlock,
} from "../../core/shapes.generated.js";
import { checkObject, checkValue, isObject, type IssueList, type JsonObject, type ObjectSchema } from "../shared/check-json.js";

const BLOCK_TYPES = ["text", "image", "document", "search_result", "tool_use", "tool_result", "thinking", "redacted_thinking"] as const;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;

const DOCUMENT_FORMATS: Record<string, DocumentFormat> = {
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/csv": "csv",
  "text/html": "html",
  "text/markdown": "md",
};

// Block schemas: the keys each type needs. Extra keys (citations, cache_control…) are tolerated, so newer
// SDK fields do not break older servers.
const SCHEMAS: Record<(typeof BLOCK_TYPES)[number], ObjectSchema> = {
  text: { required: ["text"], properties: { text: { type: "string" } }, additional: true },
  image: { required: ["source"], properties: { source: { type: "object" } }, additional: true },
  document: { required: ["source"], properties: { source: { type: "object" }, title: { type: "string" } }, additional: true },
  search_result: {
    required: ["source", "title", "content"],
    properties: { source: { type: "string" }, title: { type: "string" }, content: { type: "array" } },
    additional: true,
  },
  tool_use: {
    required: ["id", "name", "input"],
    properties: { id: { type: "string" }, name: { type: "string" }, input: { type: "object" } },
    additional: true,
  },
  tool_result: {
    required: ["tool_use_id"],
    properties: { tool_use_id: { type: "string" }, content: { type: ["string", "array"] }, is_error: { type: "boolean" } },
    additional: true,
  },
  thinking: { required: ["thinking"], properties: { thinking: { type: "string" }, signature: { type: "string" } }, additional: true },
  redacted_thinking: { required: ["data"], properties: { data: { type: "string" } }, additional: true },
};

/** Builds the Converse blocks of a request; one instance per request (it numbers unnamed documents). */
export class BlockReader {
  private documents = 0;

  /** `explainUrlSources`: refuse a URL source in plain words (a front door) rather than by the schema's rules. */
  constructor(private readonly errors: IssueList, private readonly opts: { explainUrlSources?: boolean } = {}) {}

  /** A message's `content` (string or blocks) → Converse blocks. */
  content(content: unknown, pointer: string): ContentBlock[] {
    if (typeof content === "string") return [{ text: content }];
    if (!Array.isArray(content)) return [];
    const out: ContentBlock[] = [];
    content.forEach((block, i) => {
      const converted = this.block(block, `${pointer}/${i}`);
      if (converted) out.push(converted);
      if (isObject(block) && isObject(block.cache_control)) out.push(cachePoint(block.cache_control));
    });
    return out;
  }

  private block(block: unknown, pointer: string): ContentBlock | undefined {
    if (!isObject(block)) return void this.errors.add(checkValue(block, { type: "object" }, pointer));
    const typeError = checkValue(block.type, { type: "string", enum: BLOCK_TYPES }, `${pointer}/type`);
    if (block.type === undefined) return void this.errors.add(`${pointer}: required key [type] not found`);
    if (typeError) return void this.errors.add(typeError);
    const type = block.type as (typeof BLOCK_TYPES)[number];
    const schemaErrors = checkObject(block, SCHEMAS[type], pointer);
    if (schemaErrors.length) return void this.errors.add(...schemaErrors);
    switch (type) {
      case "text": return { text: block.text as string };
      case "image": return this.image(block.source as JsonObject, `${pointer}/source`);
      case "document": return this.document(block, `${pointer}/source`);
      case "search_result": return this.searchResult(block, pointer);
      case "tool_use":
        return { toolUse: { toolUseId: block.id as string, name: block.name as string, input: block.input as JsonValue } };
      case "tool_result": return this.toolResult(block, pointer);
      case "thinking":
        return {
          reasoningContent: {
            reasoningText: { text: block.thinking as string, ...(typeof block.signature === "string" && { signature: block.signature }) },
          },
        };
      case "redacted_thinking": return { reasoningContent: { redactedContent: block.data as string } };
    }
  }

  /** Converse has no URL sources (only bytes, text or S3): said plainly rather than as a missing key. */
  private refuseUrl(source: JsonObject, pointer: string): boolean {
    if (source.type !== "url" || !this.opts.explainUrlSources) return false;
    this.errors.add(`${pointer}/type: url sources are not supported here; send the content as base64 data`);
    return true;
  }

  private image(source: JsonObject, pointer: string): ContentBlock | undefined {
    if (this.refuseUrl(source, pointer)) return undefined;
    const errors = checkObject(source, {
      required: ["type", "media_type", "data"],
      properties: {
        type: { type: "string", enum: ["base64"] },
        media_type: { type: "string", enum: IMAGE_TYPES },
        data: { type: "string" },
      },
      additional: true,
    }, pointer);
    if (errors.length) return void this.errors.add(...errors);
    const format = (source.media_type as string).slice("image/".length) as ImageFormat;
    return { image: { format, source: { bytes: source.data as string } } };
  }

  private document(block: JsonObject, pointer: string): ContentBlock | undefined {
    const source = block.source as JsonObject;
    if (this.refuseUrl(source, pointer)) return undefined;
    if (source.type === "content") return this.contentDocument(block, source, pointer);
    const errors = checkObject(source, {
      required: ["type", "data"],
      properties: {
        type: { type: "string", enum: ["base64", "text"] },
        media_type: { type: "string", enum: Object.keys(DOCUMENT_FORMATS) },
        data: { type: "string" },
      },
      additional: true,
    }, pointer);
    if (errors.length) return void this.errors.add(...errors);
    const format = DOCUMENT_FORMATS[(source.media_type as string | undefined) ?? (source.type === "text" ? "text/plain" : "application/pdf")];
    const name = documentName(block.title, ++this.documents);
    const data = source.data as string;
    return {
      document: {
        format,
        name,
        source: source.type === "text" ? { text: data } : { bytes: data },
        ...(typeof block.context === "string" && { context: block.context }),
        ...(isObject(block.citations) && block.citations.enabled === true && { citations: { enabled: true } }),
      },
    };
  }

  /** A document given as content blocks (`source: {type: "content"}`): Converse's document content source, text only. */
  private contentDocument(block: JsonObject, source: JsonObject, pointer: string): ContentBlock | undefined {
    const texts = this.texts(source.content, `${pointer}/content`);
    if (!texts) return undefined;
    const docSource: DocumentSource = { content: texts.map((text) => ({ text })) };
    return {
      document: {
        format: "txt",
        name: documentName(block.title, ++this.documents),
        source: docSource,
        ...(typeof block.context === "string" && { context: block.context }),
        ...(isObject(block.citations) && block.citations.enabled === true && { citations: { enabled: true } }),
      },
    };
  }

  /** A search result (retrieved content the model may cite), top level or inside a tool result. */
  private searchResult(block: JsonObject, pointer: string): { searchResult: SearchResultBlock } | undefined {
    const errors = checkObject(block, SCHEMAS.search_result, pointer);
    if (errors.length) return void this.errors.add(...errors);
    const texts = this.texts(block.content, `${pointer}/content`);
    if (!texts) return undefined;
    return {
      searchResult: {
        source: block.source as string,
        title: block.title as string,
        content: texts.map((text) => ({ text })),
        ...(isObject(block.citations) && typeof block.citations.enabled === "boolean" && { citations: { enabled: block.citations.enabled } }),
      },
    };
  }

  /** An array of `{type: "text", text}` blocks → their texts; anything else is reported. */
  private texts(content: unknown, pointer: string): string[] | undefined {
    if (!Array.isArray(content)) return void this.errors.add(`${pointer}: expected type: JSONArray`);
    const out: string[] = [];
    let ok = true;
    content.forEach((item, i) => {
      if (isObject(item) && item.type === "text" && typeof item.text === "string") out.push(item.text);
      else {
        ok = false;
        this.errors.add(`${pointer}/${i}: expected a text block`);
      }
    });
    return ok ? out : undefined;
  }

  private toolResult(block: JsonObject, pointer: string): ContentBlock {
    const content: ToolResultContentBlock[] = [];
    if (typeof block.content === "string") content.push({ text: block.content });
    else if (Array.isArray(block.content)) {
      block.content.forEach((item, i) => {
        const p = `${pointer}/content/${i}`;
        if (isObject(item) && item.type === "image" && isObject(item.source)) {
          const image = this.image(item.source, `${p}/source`);
          if (image && "image" in image) content.push({ image: image.image });
        } else if (isObject(item) && item.type === "text" && typeof item.text === "string") {
          content.push({ text: item.text });
        } else if (isObject(item) && item.type === "document" && isObject(item.source)) {
          const doc = this.document(item, `${p}/source`);
          if (doc && "document" in doc) content.push({ document: doc.document });
        } else if (isObject(item) && item.type === "search_result") {
          const result = this.searchResult(item, p);
          if (result) content.push(result);
        } else {
          this.errors.add(`${p}/type: ${isObject(item) ? String(item.type) : JSON.stringify(item)} is not a valid enum value`);
        }
      });
    }
    return {
      toolResult: { toolUseId: block.tool_use_id as string, content, status: block.is_error === true ? "error" : "success" },
    };
  }
}

export function cachePoint(control: JsonObject): { cachePoint: CachePointBlock } {
  const ttl = control.ttl === "1h" || control.ttl === "5m" ? control.ttl : undefined;
  return { cachePoint: { type: "default", ...(ttl && { ttl }) } };
}

// Converse document names allow ASCII letters and digits, single spaces, hyphens, parentheses and brackets
// only (accented letters are refused too: recordings/bedrock/amazon-bedrock-invalid-document-filenames.json).
function documentName(title: unknown, n: number): string {
  if (typeof title !== "string") return `document-${n}`;
  const cleaned = title.replace(/[^A-Za-z0-9\s\-()[\]]/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return cleaned || `document-${n}`;
}
