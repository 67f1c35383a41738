// The HTTP side of one `openai` provider: one keep-alive connection pool to its base URL, shared by
// all its models, with the provider's headers computed once.
import { Pool, type Dispatcher } from "undici";
import type { OpenAIProviderOptions } from "../../core/provider-options.js";
import { mapOpenAIHttpError, mapTransportError } from "./map-openai-error.js";
import type { OpenAIRequest } from "./openai-api-types.js";

// Local models can think for minutes before the first byte of a non-streamed answer.
export const DEFAULT_TIMEOUT_MS = 600_000;

export interface UpstreamCall {
  servedModelId: string;
  signal: AbortSignal;
}

export class OpenAIClient {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly jsonHeaders: Record<string, string>;
  private readonly streamHeaders: Record<string, string>;

  constructor(config: OpenAIProviderOptions) {
    const base = new URL(config.baseUrl);
    this.path = `${base.pathname.replace(/\/+$/, "")}/chat/completions${base.search}`;
    const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // headersTimeout bounds the wait for the answer (a whole non-streamed completion); bodyTimeout the
    // silence between two chunks of a stream. Either one passing is "a hang" → ModelTimeoutException.
    this.pool = new Pool(base.origin, { headersTimeout: timeout, bodyTimeout: timeout, keepAliveTimeout: 30_000 });
    const common: Record<string, string> = { "content-type": "application/json", "user-agent": "basalt" };
    if (config.apiKey) common.authorization = `Bearer ${config.apiKey}`;
    Object.assign(common, config.headers);
    this.jsonHeaders = { ...common, accept: "application/json" };
    this.streamHeaders = { ...common, accept: "text/event-stream" };
  }

  /** POSTs a Chat Completions request; resolves with a 2xx response, throws a mapped BedrockError otherwise. */
  async send(body: OpenAIRequest, call: UpstreamCall): Promise<Dispatcher.ResponseData> {
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({
        path: this.path,
        method: "POST",
        headers: body.stream ? this.streamHeaders : this.jsonHeaders,
        body: JSON.stringify(body),
        signal: call.signal,
      });
    } catch (err) {
      throw mapTransportError(err, false);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    let bodyText = "";
    try {
      bodyText = await res.body.text();
    } catch {
      // The status says enough.
    }
    throw mapOpenAIHttpError({ status: res.statusCode, bodyText, servedModelId: call.servedModelId, upstreamModel: body.model });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
