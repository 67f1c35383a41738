// The HTTP side of one `anthropic` provider: its upstream client (one connection pool for all its models),
// the Messages API paths, and the provider's headers (x-api-key, anthropic-version) computed once.
import type { Dispatcher } from "undici";
import type { AnthropicProviderOptions } from "../../core/provider-options.js";
import { anthropicErrorBody } from "../../formats/anthropic-messages/map-error.js";
import type { AnthropicRequest } from "../../formats/anthropic-messages/types.js";
import { UpstreamClient } from "../upstream-client.js";
import type { Cancellation } from "../../core/cancellation.js";

// Long thinking budgets can keep a non-streamed answer away for minutes.
export const DEFAULT_TIMEOUT_MS = 600_000;

export interface UpstreamCall {
  servedModelId: string;
  /** The call's cancellation (the client left). */
  cancel: Cancellation;
  betas: readonly string[];
}

/** A count_tokens failure the caller may answer with an estimate instead. */
export class CountTokensUnavailable extends Error {}

export class AnthropicClient {
  readonly upstream: UpstreamClient;
  private readonly messagesPath: string;
  private readonly countPath: string;
  private readonly jsonHeaders: Record<string, string>;
  private readonly streamHeaders: Record<string, string>;

  constructor(name: string, config: AnthropicProviderOptions) {
    const base = new URL(config.baseUrl);
    // Both "https://api.anthropic.com" and ".../v1" are accepted as the base URL.
    const prefix = base.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.messagesPath = `${prefix}/v1/messages`;
    this.countPath = `${prefix}/v1/messages/count_tokens`;
    this.upstream = new UpstreamClient({
      provider: name, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, firstByteTimeoutMs: config.firstByteTimeoutMs, secrets: [config.apiKey],
    });
    const common: Record<string, string> = {
      "content-type": "application/json",
      "anthropic-version": config.version,
      "user-agent": "basalt",
    };
    if (config.apiKey) common["x-api-key"] = config.apiKey;
    Object.assign(common, config.headers);
    this.jsonHeaders = { ...common, accept: "application/json" };
    this.streamHeaders = { ...common, accept: "text/event-stream" };
  }

  /** POSTs a Messages request; resolves with a 2xx response, throws a mapped BedrockError otherwise. */
  async send(body: AnthropicRequest, call: UpstreamCall): Promise<Dispatcher.ResponseData> {
    const headers = withBetas(body.stream ? this.streamHeaders : this.jsonHeaders, call.betas);
    const res = await this.upstream.post({ path: this.messagesPath, headers, body: JSON.stringify(body), cancel: call.cancel });
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const error = anthropicErrorBody(await this.upstream.text(res));
    throw this.upstream.httpError({ status: res.statusCode, message: error.message ?? "", headers: res.headers, servedModelId: call.servedModelId, upstreamModel: body.model });
  }

  /**
   * POSTs to count_tokens. Throws CountTokensUnavailable when the endpoint is not there (a gateway
   * or an Anthropic-compatible server without it), a mapped BedrockError for any other failure.
   */
  async countTokens(body: Record<string, unknown> & { model: string }, call: UpstreamCall): Promise<number> {
    const headers = withBetas(this.jsonHeaders, call.betas);
    const res = await this.upstream.post({ path: this.countPath, headers, body: JSON.stringify(body), cancel: call.cancel });
    const text = await this.upstream.text(res);
    if (res.statusCode >= 200 && res.statusCode < 300) {
      let tokens: unknown;
      try {
        tokens = (JSON.parse(text) as { input_tokens?: unknown } | null)?.input_tokens;
      } catch {
        // Not JSON: not the endpoint we meant.
      }
      if (typeof tokens === "number") return tokens;
      throw new CountTokensUnavailable("count_tokens answered without input_tokens");
    }
    const error = anthropicErrorBody(text);
    // Anthropic answers an unknown model with not_found_error "model: …"; any other 404 means no such endpoint.
    const unknownModel = res.statusCode === 404 && error.type === "not_found_error" && /^model:/.test(error.message ?? "");
    if ((res.statusCode === 404 && !unknownModel) || res.statusCode === 405 || res.statusCode === 501) {
      throw new CountTokensUnavailable(`count_tokens answered ${res.statusCode}`);
    }
    throw this.upstream.httpError({ status: res.statusCode, message: error.message ?? "", headers: res.headers, servedModelId: call.servedModelId, upstreamModel: body.model });
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}

function withBetas(headers: Record<string, string>, betas: readonly string[]): Record<string, string> {
  return betas.length > 0 ? { ...headers, "anthropic-beta": betas.join(",") } : headers;
}
