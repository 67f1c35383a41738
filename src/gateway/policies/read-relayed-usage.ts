// Token counts of a relayed answer (Model.relay: bytes pass through untouched), for the quota policy to
// charge and the call record (ledger) to note once the answer has ended. The bytes are watched, never changed
// or held back: InvokeModel says its counts in headers, Converse in its JSON body, streams in their last
// events (ConverseStream's `metadata`, InvokeModelWithResponseStream's `amazon-bedrock-invocationMetrics`).
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

/** What a relayed answer said about its tokens (Converse's TokenUsage member names). */
export interface RelayedUsage {
  inputTokens?: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function usageOf(json: unknown): RelayedUsage | undefined {
  const o = asRecord(json);
  const usage = asRecord(o?.usage);
  if (typeof usage?.outputTokens === "number") {
    return { inputTokens: num(usage.inputTokens), outputTokens: usage.outputTokens, cacheReadInputTokens: num(usage.cacheReadInputTokens), cacheWriteInputTokens: num(usage.cacheWriteInputTokens) };
  }
  const metrics = asRecord(o?.["amazon-bedrock-invocationMetrics"]);
  if (typeof metrics?.outputTokenCount === "number") {
    return { inputTokens: num(metrics.inputTokenCount), outputTokens: metrics.outputTokenCount, cacheReadInputTokens: num(metrics.cacheReadInputTokenCount), cacheWriteInputTokens: num(metrics.cacheWriteInputTokenCount) };
  }
  return undefined;
}

/** InvokeModel's x-amzn-bedrock-*-token-count headers, when the output count is there. */
function usageOfHeaders(headers: Readonly<Record<string, string>>): RelayedUsage | undefined {
  const count = (name: string) => {
    const raw = headers[`x-amzn-bedrock-${name}-token-count`];
    const n = Number(raw);
    return raw !== undefined && Number.isFinite(n) ? n : undefined;
  };
  const outputTokens = count("output");
  if (outputTokens === undefined) return undefined;
  return { inputTokens: count("input"), outputTokens, cacheReadInputTokens: count("cache-read-input"), cacheWriteInputTokens: count("cache-write-input") };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(toUtf8(bytes));
  } catch {
    return undefined;
  }
}

/** The usage an event-stream message reports, if it is one that does. */
function usageInFrame(frame: Uint8Array): RelayedUsage | undefined {
  let message;
  try {
    message = codec.decode(frame);
  } catch {
    return undefined;
  }
  const type = message.headers[":event-type"]?.value;
  if (type === "metadata") return usageOf(parseJson(message.body));
  if (type === "chunk") {
    const bytes = asRecord(parseJson(message.body))?.bytes;
    return typeof bytes === "string" ? usageOf(parseJson(Buffer.from(bytes, "base64"))) : undefined;
  }
  return undefined;
}

/**
 * The relayed response with a body that reports its output tokens to `onEnd` when it has been read to the
 * end (undefined when the answer did not say). Nothing is reported for a body abandoned half-way.
 */
export function watchRelayedUsage(response: RelayedResponse, onEnd: (outputTokens: number | undefined) => void): RelayedResponse {
  return watchRelayedTokens(response, (usage) => onEnd(usage?.outputTokens));
}

/** As watchRelayedUsage, with every count the answer gave (input, output, cache read and write). */
export function watchRelayedTokens(response: RelayedResponse, onEnd: (usage: RelayedUsage | undefined) => void): RelayedResponse {
  if (response.status !== 200) return response;
  const isStream = (response.headers["content-type"] ?? "").startsWith(EVENT_STREAM);
  const fromHeaders = isStream ? undefined : usageOfHeaders(response.headers);
  const source = response.body;
  async function* body(): AsyncIterable<Uint8Array> {
    let usage: RelayedUsage | undefined = fromHeaders;
    let pending = Buffer.alloc(0);
    let jsonBytes: Buffer[] | undefined = usage === undefined && !isStream ? [] : undefined;
    let jsonLength = 0;
    for await (const chunk of source) {
      yield chunk;
      if (usage !== undefined && !isStream) continue;
      if (jsonBytes) {
        jsonLength += chunk.byteLength;
        if (jsonLength > MAX_JSON_BYTES) jsonBytes = undefined;
        else jsonBytes.push(Buffer.from(chunk));
      } else if (isStream) {
        pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
          const total = pending.readUInt32BE(0);
          if (total < 16) break;
          const found = usageInFrame(pending.subarray(0, total));
          if (found !== undefined) usage = found;
          pending = pending.subarray(total);
        }
      }
    }
    if (jsonBytes) usage = usageOf(parseJson(Buffer.concat(jsonBytes)));
    onEnd(usage);
  }
  return { ...response, body: body() };
}
