// Output tokens of a relayed answer (Model.relay: bytes pass through untouched), for the quota policy to
// charge once the answer has ended. The bytes are watched, never changed or held back: InvokeModel says
// its count in a header, Converse in its JSON body, streams in their last events (ConverseStream's
// `metadata`, InvokeModelWithResponseStream's `amazon-bedrock-invocationMetrics`).
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { RelayedResponse } from "../../core/model.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const EVENT_STREAM = "application/vnd.amazon.eventstream";
// A Converse answer is small; an InvokeModel body may be large and says its count in a header anyway.
const MAX_JSON_BYTES = 4 * 1024 * 1024;

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function outputTokensOf(json: unknown): number | undefined {
  const o = asRecord(json);
  const usage = asRecord(o?.usage);
  if (typeof usage?.outputTokens === "number") return usage.outputTokens;
  const metrics = asRecord(o?.["amazon-bedrock-invocationMetrics"]);
  if (typeof metrics?.outputTokenCount === "number") return metrics.outputTokenCount;
  return undefined;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(toUtf8(bytes));
  } catch {
    return undefined;
  }
}

/** Output tokens an event-stream message reports, if it is one that does. */
function tokensInFrame(frame: Uint8Array): number | undefined {
  let message;
  try {
    message = codec.decode(frame);
  } catch {
    return undefined;
  }
  const type = message.headers[":event-type"]?.value;
  if (type === "metadata") return outputTokensOf(parseJson(message.body));
  if (type === "chunk") {
    const bytes = asRecord(parseJson(message.body))?.bytes;
    return typeof bytes === "string" ? outputTokensOf(parseJson(Buffer.from(bytes, "base64"))) : undefined;
  }
  return undefined;
}

/**
 * The relayed response with a body that reports its output tokens to `onEnd` when it has been read to the
 * end (undefined when the answer did not say). Nothing is reported for a body abandoned half-way.
 */
export function watchRelayedUsage(response: RelayedResponse, onEnd: (outputTokens: number | undefined) => void): RelayedResponse {
  if (response.status !== 200) return response;
  const header = Number(response.headers["x-amzn-bedrock-output-token-count"]);
  const isStream = (response.headers["content-type"] ?? "").startsWith(EVENT_STREAM);
  const source = response.body;
  async function* body(): AsyncIterable<Uint8Array> {
    let tokens: number | undefined = Number.isFinite(header) && response.headers["x-amzn-bedrock-output-token-count"] !== undefined ? header : undefined;
    let pending = Buffer.alloc(0);
    let jsonBytes: Buffer[] | undefined = tokens === undefined && !isStream ? [] : undefined;
    let jsonLength = 0;
    for await (const chunk of source) {
      yield chunk;
      if (tokens !== undefined && !isStream) continue;
      if (jsonBytes) {
        jsonLength += chunk.byteLength;
        if (jsonLength > MAX_JSON_BYTES) jsonBytes = undefined;
        else jsonBytes.push(Buffer.from(chunk));
      } else if (isStream) {
        pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
          const total = pending.readUInt32BE(0);
          if (total < 16) break;
          const found = tokensInFrame(pending.subarray(0, total));
          if (found !== undefined) tokens = found;
          pending = pending.subarray(total);
        }
      }
    }
    if (jsonBytes) tokens = outputTokensOf(parseJson(Buffer.concat(jsonBytes)));
    onEnd(tokens);
  }
  return { ...response, body: body() };
}
