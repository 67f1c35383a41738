// A Model served by Anthropic's Messages API (api.anthropic.com or any server speaking it).
import type { Dispatcher } from "undici";
import { cancellationOf, latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../core/model.js";
import { outputAsStream, eventsAsStream } from "../../core/output-as-stream.js";
import type { CountTokensInput } from "../../core/shapes.generated.js";
import { anthropicRequestFromConverse } from "../../formats/anthropic-messages/request-from-converse.js";
import { anthropicResponseToConverse } from "../../formats/anthropic-messages/response-to-converse.js";
import { anthropicStreamToConverse } from "../../formats/anthropic-messages/stream-to-converse.js";
import type { AnthropicResponse } from "../../formats/anthropic-messages/types.js";
import { parseResponseFieldPaths } from "../../formats/converse/pick-response-fields.js";
import { sseEventsFromBody } from "../shared/sse-from-body.js";
import { estimateCountTokens } from "../shared/estimate-tokens.js";
import { CountTokensUnavailable, type AnthropicClient } from "./anthropic-client.js";

export interface AnthropicModelOptions {
  /** The served modelId. */
  id: string;
  /** The upstream's model name. */
  upstreamModel: string;
  client: AnthropicClient;
}

// The request fields count_tokens takes (it refuses max_tokens, temperature, stream…).
const COUNT_FIELDS = ["messages", "system", "tools", "tool_choice", "thinking", "mcp_servers"] as const;

export class AnthropicModel implements Model {
  readonly id: string;
  private readonly upstreamModel: string;
  private readonly client: AnthropicClient;
  /** Set once the upstream showed it has no count_tokens endpoint, so later calls estimate at once. */
  private countEndpointMissing = false;

  constructor(opts: AnthropicModelOptions) {
    this.id = opts.id;
    this.upstreamModel = opts.upstreamModel;
    this.client = opts.client;
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const pointers = parseResponseFieldPaths(input.additionalModelResponseFieldPaths);
    const { body, betas } = anthropicRequestFromConverse(input, { model: this.upstreamModel, servedModelId: this.id, stream: false });
    const res = await this.client.send(body, { servedModelId: this.id, cancel: cancellationOf(ctx), betas });
    const message = await this.readMessage(res);
    return this.client.upstream.read(this.id, () => anthropicResponseToConverse(message, { pointers, latencyMs: latencyMs(ctx) }));
  }

  private async readMessage(res: Dispatcher.ResponseData): Promise<AnthropicResponse> {
    return (await this.client.upstream.json(res, this.id)) as AnthropicResponse;
  }

  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    return this.client.upstream.openStream(async () => {
      const pointers = parseResponseFieldPaths(input.additionalModelResponseFieldPaths);
      const { body, betas } = anthropicRequestFromConverse(input, { model: this.upstreamModel, servedModelId: this.id, stream: true });
      const res = await this.client.send(body, { servedModelId: this.id, cancel: cancellationOf(ctx), betas });
      if (isJson(res.headers["content-type"])) {
        // A server that ignored `stream: true` and answered with the whole message: replay it as a stream, each
        // block's text in one delta (the upstream chose not to pace it).
        const message = await this.readMessage(res);
        const output = this.client.upstream.read(this.id, () => anthropicResponseToConverse(message, { pointers, latencyMs: latencyMs(ctx) }));
        return { body: res.body, events: eventsAsStream(outputAsStream(output, { splitText: (text) => [text] })) };
      }
      await this.client.upstream.expectEventStream(res, this.id);
      return { body: res.body, events: anthropicStreamToConverse(sseEventsFromBody(res.body), { pointers, latencyMs: () => latencyMs(ctx) }) };
    }, { servedModelId: this.id, upstreamModel: this.upstreamModel });
  }

  /**
   * Asks the upstream's count_tokens endpoint (exact, free of charge on Anthropic). Servers without
   * it get the rule-of-thumb estimate the openai provider uses (about four characters a token).
   */
  async countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    if (!("converse" in input) || this.countEndpointMissing) return estimateCountTokens(input);
    const { body, betas } = anthropicRequestFromConverse(input.converse, { model: this.upstreamModel, servedModelId: this.id, stream: false });
    const countBody: Record<string, unknown> & { model: string } = { model: body.model };
    for (const key of COUNT_FIELDS) if (body[key] !== undefined) countBody[key] = body[key];
    try {
      return await this.client.countTokens(countBody, { servedModelId: this.id, cancel: cancellationOf(ctx), betas });
    } catch (err) {
      if (!(err instanceof CountTokensUnavailable)) throw err;
      this.countEndpointMissing = true;
      return estimateCountTokens(input);
    }
  }
}

function isJson(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value !== undefined && value.toLowerCase().startsWith("application/json");
}
