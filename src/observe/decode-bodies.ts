// Turns the bytes a call kept (server/call-context with history bodies on) into what /_basalt/calls shows:
// JSON bodies parsed, event streams as their events in order (`{ contentBlockDelta: {…} }`, with an
// InvokeModel stream's `chunk.bytes` decoded from base64 JSON), anything else as text. Runs only when the
// history is read, never on the response path.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function parseJsonOrText(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function decodeRequestBody(body: unknown): unknown {
  return body instanceof Uint8Array ? parseJsonOrText(body) : body;
}

interface KeptResponse { contentType: string; body: Uint8Array }

function isKeptResponse(v: unknown): v is KeptResponse {
  return typeof v === "object" && v !== null && typeof (v as KeptResponse).contentType === "string" && (v as KeptResponse).body instanceof Uint8Array;
}

export function decodeResponseBody(kept: unknown): unknown {
  if (!isKeptResponse(kept)) return kept;
  if (kept.contentType.startsWith("application/vnd.amazon.eventstream")) return decodeEvents(kept.body);
  return parseJsonOrText(kept.body);
}

function headerText(headers: Record<string, { value: unknown }>, name: string): string | undefined {
  const v = headers[name]?.value;
  return typeof v === "string" ? v : undefined;
}

/** The events of a whole event stream, in order; a torn last frame (client gone) is left out. */
export function decodeEvents(bytes: Uint8Array): unknown[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: unknown[] = [];
  for (let offset = 0; offset + 12 <= buf.length; ) {
    const total = buf.readUInt32BE(offset);
    if (total < 16 || offset + total > buf.length) break;
    let message;
    try {
      message = codec.decode(buf.subarray(offset, offset + total));
    } catch {
      break;
    }
    offset += total;
    const headers = message.headers as Record<string, { value: unknown }>;
    const type = headerText(headers, ":event-type") ?? headerText(headers, ":exception-type") ?? "unknown";
    const payload = parseJsonOrText(message.body);
    if (type === "chunk" && payload && typeof payload === "object" && typeof (payload as { bytes?: unknown }).bytes === "string") {
      const inner = parseJsonOrText(Buffer.from((payload as { bytes: string }).bytes, "base64"));
      events.push({ chunk: { ...(payload as object), bytes: inner } });
    } else {
      events.push({ [type]: payload ?? {} });
    }
  }
  return events;
}
