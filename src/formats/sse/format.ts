// Server-Sent Events out: one event as the bytes a client's EventSource parser reads back (the inverse of
// parse.ts). For front doors that answer in SSE (Chat Completions `data: {...}`, Anthropic Messages
// `event: name` + `data: {...}`) and for test upstreams that must speak the real wire format.

export interface SseEventOut {
  /** Omitted: the client sees the default event type, "message". */
  event?: string;
  /** Objects are JSON-encoded; strings (e.g. "[DONE]") are sent as they are. */
  data: unknown;
  id?: string;
}

/** One event, ending in its blank line. Data with line breaks becomes one `data:` line per line. */
export function formatSseEvent(e: SseEventOut): string {
  const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
  let out = "";
  if (e.event !== undefined) out += `event: ${e.event}\n`;
  if (e.id !== undefined) out += `id: ${e.id}\n`;
  // JSON.stringify never emits a raw line break, so the common case is one line.
  if (data.indexOf("\n") < 0 && data.indexOf("\r") < 0) return `${out}data: ${data}\n\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

