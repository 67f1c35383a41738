// The common tail of every SSE-backed stream: translated events pass through; a transport failure becomes
// the provider's Bedrock error (a stream error once an event was sent); the upstream body is released as
// soon as the client leaves or the stream fails, so its connection is not held.
import type { Readable } from "node:stream";
import type { BedrockError } from "../../core/errors.js";
import type { StreamEvent } from "../../core/model.js";

export async function* guardUpstreamStream(
  body: Readable,
  events: AsyncIterable<StreamEvent>,
  mapTransportError: (err: unknown, started: boolean) => BedrockError,
): AsyncIterable<StreamEvent> {
  let started = false;
  try {
    for await (const event of events) {
      started = true;
      yield event;
    }
  } catch (err) {
    throw mapTransportError(err, started);
  } finally {
    if (!body.readableEnded && !body.destroyed) body.destroy();
  }
}
