// Writes AWS event-stream frames: prelude (total length, headers length, prelude CRC32), headers,
// payload, message CRC32. Hand-written rather than @smithy/eventstream-codec's generic encoder because
// this runs once per stream event: the header block of each event type is built once and reused, and a
// frame is one allocation with CRCs from zlib's native crc32. Output is byte-identical to the codec's
// (test/performance/frame-encoding.cases.ts checks it).
import { crc32 } from "node:zlib";

const PRELUDE_BYTES = 12;
const CRC_BYTES = 4;
const STRING_HEADER = 7;

function headerBlock(headers: [name: string, value: string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    const n = Buffer.from(name, "utf8");
    const v = Buffer.from(value, "utf8");
    const h = Buffer.allocUnsafe(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(STRING_HEADER, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    parts.push(h);
  }
  return Buffer.concat(parts);
}

// Header order as the real service sends them: :event-type, :content-type, :message-type.
const eventHeaders = new Map<string, Buffer>();
function eventHeaderBlock(eventType: string): Buffer {
  let block = eventHeaders.get(eventType);
  if (!block) {
    block = headerBlock([[":event-type", eventType], [":content-type", "application/json"], [":message-type", "event"]]);
    // Union member names are a small fixed set; the bound only guards against a misbehaving caller.
    if (eventHeaders.size < 256) eventHeaders.set(eventType, block);
  }
  return block;
}

function frame(headers: Buffer, json: string): Buffer {
  const payloadBytes = Buffer.byteLength(json, "utf8");
  const total = PRELUDE_BYTES + headers.length + payloadBytes + CRC_BYTES;
  const buf = Buffer.allocUnsafe(total);
  buf.writeUInt32BE(total, 0);
  buf.writeUInt32BE(headers.length, 4);
  buf.writeUInt32BE(crc32(buf.subarray(0, 8)), 8);
  headers.copy(buf, PRELUDE_BYTES);
  buf.write(json, PRELUDE_BYTES + headers.length, payloadBytes, "utf8");
  buf.writeUInt32BE(crc32(buf.subarray(0, total - CRC_BYTES)), total - CRC_BYTES);
  return buf;
}

/** An `event` frame whose payload is the JSON of one union member. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return frame(eventHeaderBlock(eventType), JSON.stringify(payload));
}

/** An `exception` frame for a modelled error member of the stream union (lowerCamel name). */
export function encodeException(exceptionType: string, payload: Record<string, unknown>): Uint8Array {
  const headers = headerBlock([[":exception-type", exceptionType], [":content-type", "application/json"], [":message-type", "exception"]]);
  return frame(headers, JSON.stringify(payload));
}
