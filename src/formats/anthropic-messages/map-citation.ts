// Messages API citations ↔ Bedrock Citation. Anthropic cites with one object per cited passage
// (`char_location`, `page_location`, `content_block_location`, `search_result_location`,
// `web_search_result_location`); Bedrock's Claude answers carry the same facts as
// `{title, source?, sourceContent: [{text: cited_text}], location: {documentChar|documentPage|documentChunk|…}}`,
// with the numbers as Anthropic gives them (page ranges end-exclusive, as in Bedrock's recordings).
import type { Citation, CitationLocation, CitationsDelta } from "../../core/shapes.generated.js";

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

/**
 * The other way: a Bedrock citation as the Messages API writes one (Claude's native answer on InvokeModel, an
 * Anthropic front door's), its location kind naming the Anthropic type. A citation with no location is a
 * `char_location` with only its text.
 */
export function anthropicCitationFromConverse(c: Citation | CitationsDelta): AnthropicCitation {
  const cited = (c.sourceContent ?? []).map((s) => s.text ?? "").join("");
  const loc = c.location;
  const doc = (type: string, start: string, end: string, r: { documentIndex?: number; start?: number; end?: number }): AnthropicCitation => ({
    type, cited_text: cited, document_index: r.documentIndex ?? 0, document_title: c.title ?? null,
    ...(r.start !== undefined && { [start]: r.start }), ...(r.end !== undefined && { [end]: r.end }),
  });
  if (loc && "documentPage" in loc) return doc("page_location", "start_page_number", "end_page_number", loc.documentPage);
  if (loc && "documentChunk" in loc) return doc("content_block_location", "start_block_index", "end_block_index", loc.documentChunk);
  if (loc && "searchResultLocation" in loc) {
    const r = loc.searchResultLocation;
    return {
      type: "search_result_location", cited_text: cited, search_result_index: r.searchResultIndex ?? 0, source: c.source ?? "",
      title: c.title ?? null, ...(r.start !== undefined && { start_block_index: r.start }), ...(r.end !== undefined && { end_block_index: r.end }),
    };
  }
  if (loc && "web" in loc) return { type: "web_search_result_location", cited_text: cited, url: loc.web.url ?? "", title: c.title ?? null };
  return doc("char_location", "start_char_index", "end_char_index", loc && "documentChar" in loc ? loc.documentChar : {});
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
