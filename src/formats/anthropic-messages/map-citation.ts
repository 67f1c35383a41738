// Messages API citations → Bedrock Citation. Anthropic cites with one object per cited passage
// (`char_location`, `page_location`, `content_block_location`, `search_result_location`,
// `web_search_result_location`); Bedrock's Claude answers carry the same facts as
// `{title, source?, sourceContent: [{text: cited_text}], location: {documentChar|documentPage|documentChunk|…}}`,
// with the numbers as Anthropic gives them (page ranges end-exclusive, as in Bedrock's recordings).
import type { Citation, CitationLocation } from "../../core/shapes.generated.js";

/** One Anthropic citation; all fields optional here because upstreams vary. */
export interface AnthropicCitation {
  type?: string;
  cited_text?: string;
  document_index?: number;
  document_title?: string | null;
  start_char_index?: number;
  end_char_index?: number;
  start_page_number?: number;
  end_page_number?: number;
  start_block_index?: number;
  end_block_index?: number;
  search_result_index?: number;
  source?: string;
  title?: string | null;
  url?: string;
}

export function anthropicCitationToConverse(c: AnthropicCitation): Citation {
  const out: Citation = {};
  const location = citationLocation(c);
  if (location) out.location = location;
  if (typeof c.cited_text === "string") out.sourceContent = [{ text: c.cited_text }];
  const title = c.document_title ?? c.title;
  if (typeof title === "string") out.title = title;
  if (typeof c.source === "string") out.source = c.source;
  return out;
}

function citationLocation(c: AnthropicCitation): CitationLocation | undefined {
  switch (c.type) {
    case "char_location":
      return { documentChar: range(c.document_index, c.start_char_index, c.end_char_index) };
    case "page_location":
      return { documentPage: range(c.document_index, c.start_page_number, c.end_page_number) };
    case "content_block_location":
      return { documentChunk: range(c.document_index, c.start_block_index, c.end_block_index) };
    case "search_result_location": {
      const r: { searchResultIndex?: number; start?: number; end?: number } = {};
      if (isIndex(c.search_result_index)) r.searchResultIndex = c.search_result_index;
      if (isIndex(c.start_block_index)) r.start = c.start_block_index;
      if (isIndex(c.end_block_index)) r.end = c.end_block_index;
      return { searchResultLocation: r };
    }
    case "web_search_result_location":
    {
      const web: { url?: string; domain?: string } = {};
      if (typeof c.url === "string") {
        web.url = c.url;
        const domain = domainOf(c.url);
        if (domain) web.domain = domain;
      }
      return { web };
    }
    default:
      return undefined;
  }
}

function range(documentIndex: unknown, start: unknown, end: unknown): { documentIndex?: number; start?: number; end?: number } {
  const r: { documentIndex?: number; start?: number; end?: number } = {};
  if (isIndex(documentIndex)) r.documentIndex = documentIndex;
  if (isIndex(start)) r.start = start;
  if (isIndex(end)) r.end = end;
  return r;
}

// Bedrock's integers here are ≥ 0; anything else from an upstream is left out rather than passed on.
function isIndex(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

function domainOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}
