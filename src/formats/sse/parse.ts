// Incremental Server-Sent Events parser (WHATWG "event stream interpretation"), for the upstreams that
// stream SSE (OpenAI-compatible, Anthropic): text in, events out, no I/O (providers/shared/sse-from-body.ts
// feeds it an upstream's body). Each event comes out as soon as its terminating blank line arrives, so deltas
// reach our client while the upstream is still writing. Every character is looked at
// once: an unfinished line is kept as pieces and never rescanned when the next chunk arrives, so a long
// event split over many small chunks costs linear time, and one event may not grow past a cap.

export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  /** The last `id:` field seen, when there was one. */
  id?: string;
}

/** Room for the largest answer an upstream sends as one event (a whole tool call, a long text chunk). */
export const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** An event grew past the cap before its blank line: the stream is malformed or hostile. */
export class SseEventTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`A server-sent event exceeded ${limit} characters.`);
    this.name = "SseEventTooLargeError";
  }
}

export interface SseParseOptions {
  /** Characters one event may hold (its data lines plus the line being read); default 16 Mi. */
  maxEventChars?: number;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

/**
 * Text in, events out, with no I/O: feed it decoded text as it arrives. Chunk boundaries may fall
 * anywhere, even between "\r" and "\n". Comment lines (":" keep-alives) and `retry:` are ignored.
 */
export class SseDecoder {
  private readonly max: number;
  /** Pieces of the line not yet ended (joined once, when its end arrives). */
  private line: string[] = [];
  private lineChars = 0;
  private event = "";
  private data: string[] = [];
  private dataChars = 0;
  private id: string | undefined;
  /** The last chunk ended in "\r": a "\n" first in the next one belongs to that same line break. */
  private afterCr = false;

  constructor(opts: SseParseOptions = {}) {
    this.max = opts.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
  }

  /** The events completed by this text, in order. */
  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    if (this.afterCr && text.length > 0) {
      if (text.charCodeAt(0) === LF) start = 1;
      this.afterCr = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      this.endLine(text.slice(start, i), out);
      if (c === CR) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          this.afterCr = true;
        }
      }
      start = i + 1;
    }
    if (start < text.length) {
      const rest = start === 0 ? text : text.slice(start);
      this.line.push(rest);
      this.lineChars += rest.length;
      this.checkSize();
    }
    return out;
  }

  private endLine(tail: string, out: SseEvent[]): void {
    let line = tail;
    if (this.line.length > 0) {
      this.line.push(tail);
      line = this.line.join("");
      this.line = [];
      this.lineChars = 0;
    }
    if (line.length === 0) {
      if (this.data.length > 0) {
        out.push({ event: this.event || "message", data: this.data.join("\n"), ...(this.id !== undefined ? { id: this.id } : {}) });
      }
      this.event = "";
      this.data = [];
      this.dataChars = 0;
      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.dataChars += value.length + 1;
      this.checkSize();
    } else if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
  }

  private checkSize(): void {
    if (this.dataChars + this.lineChars > this.max) throw new SseEventTooLargeError(this.max);
  }
}
