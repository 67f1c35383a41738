// The HTTP side of one `openai` provider: its upstream client (one connection pool for all its models),
// the Chat Completions path, and the provider's headers computed once.
import type { Dispatcher } from "undici";
import type { OpenAIProviderOptions } from "../../core/provider-options.js";
import { chatErrorMessage } from "../../formats/chat-completions/map-error.js";
import type { OpenAIRequest } from "../../formats/chat-completions/types.js";
import { UpstreamClient, type ModelNames } from "../upstream-client.js";
import type { Cancellation } from "../../core/cancellation.js";

// Local models can think for minutes before the first byte of a non-streamed answer.
export const DEFAULT_TIMEOUT_MS = 600_000;

export class OpenAIClient {
  readonly upstream: UpstreamClient;
  private readonly path: string;
  private readonly jsonHeaders: Record<string, string>;
  private readonly streamHeaders: Record<string, string>;

  constructor(name: string, config: OpenAIProviderOptions) {
    const base = new URL(config.baseUrl);
    this.path = `${base.pathname.replace(/\/+$/, "")}/chat/completions${base.search}`;
    this.upstream = new UpstreamClient({
      provider: name, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, firstByteTimeoutMs: config.firstByteTimeoutMs, secrets: [config.apiKey],
    });
    const common: Record<string, string> = { "content-type": "application/json", "user-agent": "basalt" };
    if (config.apiKey) common.authorization = `Bearer ${config.apiKey}`;
    Object.assign(common, config.headers);
    this.jsonHeaders = { ...common, accept: "application/json" };
    this.streamHeaders = { ...common, accept: "text/event-stream" };
  }

  /** POSTs a Chat Completions request; resolves with a 2xx response, throws a mapped BedrockError otherwise. */
  async send(body: OpenAIRequest, servedModelId: string, cancel: Cancellation): Promise<Dispatcher.ResponseData> {
    const headers = body.stream ? this.streamHeaders : this.jsonHeaders;
    const res = await this.upstream.post({ path: this.path, headers, body: JSON.stringify(body), cancel });
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    // The status says enough when the body cannot be read.
    const text = await this.upstream.text(res).catch(() => "");
    const names: ModelNames = { servedModelId, upstreamModel: body.model };
    throw this.upstream.httpError({ status: res.statusCode, message: chatErrorMessage(text), headers: res.headers, ...names });
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}
