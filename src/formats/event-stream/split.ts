// Re-frames an AWS event stream (DIGEST §11.1) without decoding it: bytes arrive in arbitrary pieces, whole
// messages leave. A relay forwards whole messages only, so when the upstream breaks off it can still append
// an exception message the client will parse; a decoder hands each whole message to the codec.
import { crc32 } from "node:zlib";
import { BedrockError } from "../../core/errors.js";

const PRELUDE = 12;
// Largest legal message: payload ≤ 24 MiB, headers ≤ 128 KiB, plus prelude and trailing CRC.
const MAX_MESSAGE = 25_165_824 + 131_072 + 16;

/** Thrown when the stream ends inside a message or a prelude is corrupt. */
export class TruncatedEventStreamError extends BedrockError {
  constructor(message: string) {
    super("ModelStreamErrorException", message);
  }
}

export async function* splitEventStreamFrames(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const piece of source) {
    pending = pending.length === 0 ? Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength) : Buffer.concat([pending, piece]);
    let offset = 0;
    while (pending.length - offset >= PRELUDE) {
      const total = pending.readUInt32BE(offset);
      checkPrelude(pending, offset, total);
      if (pending.length - offset < total) break;
      // A view, not a copy: `pending` is never written to, only replaced.
      yield pending.subarray(offset, offset + total);
      offset += total;
    }
    if (offset > 0) pending = Buffer.from(pending.subarray(offset));
  }
  if (pending.length > 0) {
    throw new TruncatedEventStreamError("The model stream ended in the middle of an event.");
  }
}

function checkPrelude(buf: Buffer, offset: number, total: number): void {
  const headersLength = buf.readUInt32BE(offset + 4);
  const ok =
    total >= PRELUDE + 4 + headersLength &&
    total <= MAX_MESSAGE &&
    buf.readUInt32BE(offset + 8) === crc32(buf.subarray(offset, offset + 8));
  if (!ok) throw new TruncatedEventStreamError("The model stream carried a corrupt event.");
}
