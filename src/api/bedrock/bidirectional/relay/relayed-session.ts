// A session relayed to a Bedrock upstream that speaks the bidirectional protocol itself (real Nova Sonic):
// each input chunk's bytes go upstream unchanged (re-signed with the provider's credentials), each output
// chunk's bytes come back unchanged. The protocol inside is not interpreted, except that usageEvent totals
// are noted for the call record.
import type { CallContext } from "../../../../core/model.js";
import { isObject, parseJsonSafely } from "../../../../core/json.js";
import type { SessionOutput, SessionProtocol } from "../session-protocol.js";
import { openBedrockDuplex, type DuplexTarget, type DuplexUpstream } from "./bedrock-duplex.js";

const USAGE_EVENT = Buffer.from('"usageEvent"');

export function relayedSession(opts: { target: DuplexTarget; upstreamModelId: string; ctx: CallContext; output: SessionOutput }): SessionProtocol {
  const { output } = opts;
  // Opened at once, so the upstream's answer to the head (or its refusal) comes while the client starts sending.
  const upstream: Promise<DuplexUpstream> = openBedrockDuplex(opts.target, opts.upstreamModelId, opts.ctx.signal);
  const relayed = upstream.then(async (up) => {
    for await (const bytes of up.output) {
      noteUsage(bytes, output);
      await output.send(bytes);
    }
  });
  // Whatever fails first (the head refused, an exception upstream) ends the session with its error.
  relayed.catch((err: unknown) => output.fail(err));
  return {
    async input(bytes) {
      await (await upstream).send(bytes);
    },
    ended: false,
    async finish() {
      await (await upstream).end();
      await relayed;
    },
    abort() {
      upstream.then((up) => up.close(), () => undefined);
    },
  };
}

function noteUsage(bytes: Uint8Array, output: SessionOutput): void {
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(USAGE_EVENT) === -1) return;
  const parsed = parseJsonSafely(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  const event = parsed && isObject(parsed.value) && isObject(parsed.value.event) ? parsed.value.event.usageEvent : undefined;
  if (!isObject(event)) return;
  const input = event.totalInputTokens;
  const out = event.totalOutputTokens;
  if (typeof input === "number" && typeof out === "number") output.usage(input, out);
}
