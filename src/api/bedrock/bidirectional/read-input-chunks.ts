// The request body of InvokeModelWithBidirectionalStream, read as it arrives (DIGEST §8.3): event-stream
// messages, each a `chunk` event whose JSON payload carries `bytes` (base64), usually wrapped in an outer
// message signed with `:date` + `:chunk-signature`; an outer message with an empty payload marks the end
// of input. Yields each chunk's decoded bytes. With a signature chain (auth on) every message must be signed
// and verify; without one, signed wrappers are unwrapped unchecked and bare chunk events are accepted too.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { EventSignatureChain } from "../../../auth/verify-event-signature.js";
import { BedrockError, validationError } from "../../../core/errors.js";
import { isObject, parseJsonSafely } from "../../../core/json.js";
import { splitEventStreamFrames } from "../../../formats/event-stream/split.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** PartBody in the service model: a chunk carries at most this many bytes. */
export const MAX_CHUNK_BYTES = 1_000_000;

type Headers = Record<string, { type: string; value: unknown }>;

const badSignature = () => new BedrockError(
  "InvalidSignatureException",
  "The event signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
);
const unsigned = () => new BedrockError("InvalidSignatureException", "The input event is not signed. Sign every event with the request's credentials.");
const malformedFrame = () => validationError("The input stream carried a malformed event-stream message.");

function decode(frame: Uint8Array): { headers: Headers; body: Uint8Array } {
  try {
    return codec.decode(frame) as { headers: Headers; body: Uint8Array };
  } catch {
    // A CRC mismatch or a header that does not parse.
    throw malformedFrame();
  }
}

/** A decoded `chunk` event's bytes; anything else in the input union is refused. */
function chunkBytes(message: { headers: Headers; body: Uint8Array }): Uint8Array {
  const type = message.headers[":event-type"]?.value;
  const kind = message.headers[":message-type"]?.value ?? "event";
  if (kind !== "event" || type !== "chunk") {
    throw validationError(`The input event ${String(type ?? kind)} is not a member of InvokeModelWithBidirectionalStreamInput; send chunk events.`);
  }
  const parsed = parseJsonSafely(toUtf8(message.body));
  const bytes = parsed && isObject(parsed.value) ? parsed.value.bytes : undefined;
  if (typeof bytes !== "string") throw validationError("The chunk event has no bytes member; send its payload as {\"bytes\": \"<base64>\"}.");
  const decoded = Buffer.from(bytes, "base64");
  if (decoded.byteLength > MAX_CHUNK_BYTES) {
    throw validationError(`The chunk carries ${decoded.byteLength} bytes, more than the ${MAX_CHUNK_BYTES} allowed.`);
  }
  return decoded;
}

export async function* readInputChunks(
  body: AsyncIterable<Uint8Array>,
  signatures: EventSignatureChain | undefined,
): AsyncIterable<Uint8Array> {
  const frames = splitEventStreamFrames(body)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await frames.next();
      } catch (err) {
        // The splitter speaks of a model stream; on input the same faults are the client's.
        if (err instanceof BedrockError && err.errorName === "ModelStreamErrorException") throw malformedFrame();
        throw err;
      }
      if (next.done) return;
      const outer = decode(next.value);
      const signature = outer.headers[":chunk-signature"];
      if (!signature) {
        if (signatures) throw unsigned();
        yield chunkBytes(outer);
        continue;
      }
      if (signatures) {
        const date = outer.headers[":date"]?.value;
        const ok = date instanceof Date && signature.value instanceof Uint8Array && signatures.verify(date.getTime(), signature.value, outer.body);
        if (!ok) throw badSignature();
      }
      // The signed end-of-input marker: the client will send nothing more.
      if (outer.body.byteLength === 0) return;
      yield chunkBytes(decode(outer.body));
    }
  } finally {
    // Stopped early (sessionEnd, an error): the body reader lets go of the request (the rest is drained).
    void frames.return?.()?.catch(() => undefined);
  }
}
