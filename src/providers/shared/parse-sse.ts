// Incremental Server-Sent Events parser (WHATWG "event stream interpretation"), shared by the
// providers whose upstreams stream SSE (OpenAI-compatible, Anthropic). It yields each event as soon
// as its terminating blank line arrives, so deltas reach our client while the upstream is still
// writing; nothing is buffered beyond the one unfinished event.

export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  /** The `id:` field, when present. */
  id?: string;
}

/**
 * Parses an SSE byte stream into events. Accepts any async iterable of chunks (undici's response
 * body, a Node Readable, a web stream); chunk boundaries may fall anywhere, even inside a UTF-8
 * sequence or between "\r" and "\n". Comment lines (":" keep-alives) and `retry:` are ignored.
 * A trailing event without its blank line is dropped, as the spec says (an upstream cut mid-event
 * must not look like a complete event).
 */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let event = "";
  let data: string[] = [];
  let id: string | undefined;
  let skipLeadingLf = false;

  for await (const chunk of body) {
    let text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (skipLeadingLf && text.length > 0) {
      // The previous chunk ended in "\r"; a "\n" here belongs to that same line break.
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      skipLeadingLf = false;
    }
    pending += text;
    let start = 0;
    for (;;) {
      const lineEnd = findLineEnd(pending, start);
      if (lineEnd < 0) break;
      const line = pending.slice(start, lineEnd);
      const isCr = pending.charCodeAt(lineEnd) === 13;
      start = lineEnd + 1;
      if (isCr) {
        if (start < pending.length) {
          if (pending.charCodeAt(start) === 10) start++;
        } else {
          skipLeadingLf = true;
        }
      }
      if (line.length === 0) {
        if (data.length > 0) yield { event: event || "message", data: data.join("\n"), ...(id !== undefined ? { id } : {}) };
        event = "";
        data = [];
        continue;
      }
      if (line.charCodeAt(0) === 58 /* ":" comment */) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
      else if (field === "id") id = value;
    }
    pending = pending.slice(start);
  }
}

function findLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}
