// A model served by a Bedrock(-compatible) upstream. The front door prefers `relay` (bytes pass through,
// re-signed); converse / converseStream / countTokens parse the upstream's answer for callers that need
// typed values, such as gateway policies wrapping the model.
import type { CountTokensInput } from "../../core/shapes.generated.js";
import { cancellationOf, type CallContext, type ConverseInput, type ConverseOutput, type Model, type RelayCall, type RelayedResponse, type StreamEvent } from "../../core/model.js";
import { watchStream } from "../../core/watch-stream.js";
import type { BedrockUpstream, UpstreamResponse } from "./bedrock-upstream.js";
import { decodeConverseStream } from "../../formats/event-stream/decode.js";
import { parseUpstreamError } from "./parse-upstream-error.js";

// Response headers worth relaying; hop-by-hop headers (connection, transfer-encoding, keep-alive) must not
// cross, and are forbidden on HTTP/2.
const RELAYED_RESPONSE_HEADERS = ["content-type", "content-length", "content-encoding", "x-amzn-errortype", "x-amzn-requestid"];

const EVENT_STREAM = /^application\/vnd\.amazon\.eventstream/i;
const JSON_HEADERS = { "content-type": "application/json" } as const;
const STREAM_HEADERS = { "content-type": "application/json", accept: "application/vnd.amazon.eventstream" } as const;

/** A URI label as the JS SDK encodes it: encodeURIComponent plus !'()* (DIGEST §13.4). */
export function encodeLabel(label: string): string {
  return encodeURIComponent(label).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(", ") : v;
}

function relayedHeaders(headers: UpstreamResponse["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RELAYED_RESPONSE_HEADERS) {
    const v = headerValue(headers[name]);
    if (v !== undefined) out[name] = v;
  }
  // InvokeModel answers carry operation output in x-amzn-bedrock-* headers (content type, token counts).
  for (const name in headers) {
    if (name.startsWith("x-amzn-bedrock-")) out[name] = headerValue(headers[name])!;
  }
  return out;
}

export class BedrockModel implements Model {
  private readonly pathPrefix: string;

  constructor(readonly id: string, upstreamModelId: string, private readonly upstream: BedrockUpstream) {
    this.pathPrefix = `/model/${encodeLabel(upstreamModelId)}/`;
  }

  async relay(call: RelayCall, ctx: CallContext): Promise<RelayedResponse> {
    const r = await this.upstream.post({ path: this.pathPrefix + call.action, body: call.body, headers: call.headers, cancel: cancellationOf(ctx) });
    if (r.status === 200) {
      // Relayed as is, a web page would reach the SDK as an unreadable answer; name it instead.
      const type = headerValue(r.headers["content-type"]) ?? "";
      const streaming = call.action.endsWith("-stream");
      if (streaming && type !== "" && !EVENT_STREAM.test(type)) throw await this.upstream.unexpectedAnswer(r, "an event stream", this.id);
      // Converse and CountTokens answer JSON; InvokeModel answers in the model's own content type (a web page is never one).
      const json = call.action === "converse" || call.action === "count-tokens";
      if (json ? type !== "" && !/json/i.test(type) : /^text\/html/i.test(type)) {
        throw await this.upstream.unexpectedAnswer(r, json ? "JSON" : "the model's answer", this.id);
      }
    }
    return { status: r.status, headers: relayedHeaders(r.headers), body: r.body };
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    return (await this.postJson("converse", input, ctx)) as ConverseOutput;
  }

  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    let opened = false;
    return watchStream(async () => {
      const r = await this.send("converse-stream", input, STREAM_HEADERS, ctx);
      const type = headerValue(r.headers["content-type"]);
      if (type !== undefined && !EVENT_STREAM.test(type)) throw await this.upstream.unexpectedAnswer(r, "an event stream", this.id);
      opened = true;
      return decodeConverseStream(r.body);
    }, {
      // The request's own errors are already Bedrock's; what breaks the answer's stream is mapped.
      mapError: (err) => (opened ? this.upstream.failure(err) : err),
    });
  }

  async countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    const out = (await this.postJson("count-tokens", { input }, ctx)) as { inputTokens: number };
    return out.inputTokens;
  }

  private async postJson(action: string, payload: unknown, ctx: CallContext): Promise<unknown> {
    const r = await this.send(action, payload, JSON_HEADERS, ctx);
    const text = await r.text();
    try {
      return JSON.parse(text);
    } catch {
      throw await this.upstream.unexpectedAnswer({ ...r, text: async () => text }, "JSON", this.id);
    }
  }

  /** Sends JSON; a non-200 answer becomes the BedrockError it describes. */
  private async send(action: string, payload: unknown, headers: Record<string, string>, ctx: CallContext): Promise<UpstreamResponse> {
    const body = Buffer.from(JSON.stringify(payload));
    const r = await this.upstream.post({ path: this.pathPrefix + action, body, headers, cancel: cancellationOf(ctx) });
    if (r.status !== 200) {
      throw this.upstream.failure(parseUpstreamError(r.status, headerValue(r.headers["x-amzn-errortype"]), await r.text()));
    }
    return r;
  }
}
