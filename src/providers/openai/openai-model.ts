// A Model served by an OpenAI-compatible Chat Completions server (Ollama, vLLM, llama.cpp, LM Studio, OpenAI).
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../core/model.js";
import type { CountTokensInput } from "../../core/shapes.generated.js";
import { parseResponseFieldPaths } from "../shared/pick-response-fields.js";
import { parseSse } from "../shared/parse-sse.js";
import { guardUpstreamStream } from "../shared/guard-upstream-stream.js";
import { estimateCountTokens, estimateInputTokens } from "../shared/estimate-tokens.js";
import { fromOpenAIResponse } from "./from-openai-response.js";
import { fromOpenAIStream } from "./from-openai-stream.js";
import { mapTransportError } from "./map-openai-error.js";
import type { OpenAIClient } from "./openai-client.js";
import type { OpenAIResponse } from "./openai-api-types.js";
import { toOpenAIRequest } from "./to-openai-request.js";

export interface OpenAIModelOptions {
  /** The served modelId. */
  id: string;
  /** The upstream's model name. */
  upstreamModel: string;
  client: OpenAIClient;
}

export class OpenAIModel implements Model {
  readonly id: string;
  private readonly upstreamModel: string;
  private readonly client: OpenAIClient;

  constructor(opts: OpenAIModelOptions) {
    this.id = opts.id;
    this.upstreamModel = opts.upstreamModel;
    this.client = opts.client;
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const pointers = parseResponseFieldPaths(input.additionalModelResponseFieldPaths);
    const body = toOpenAIRequest(input, { model: this.upstreamModel, servedModelId: this.id, stream: false });
    const res = await this.client.send(body, { servedModelId: this.id, signal: ctx.signal });
    let response: OpenAIResponse;
    try {
      response = (await res.body.json()) as OpenAIResponse;
    } catch (err) {
      throw mapTransportError(err, false);
    }
    return fromOpenAIResponse(response, {
      pointers,
      latencyMs: latencyMs(ctx),
      estimateInputTokens: () => estimateInputTokens(input),
    });
  }

  async *converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const pointers = parseResponseFieldPaths(input.additionalModelResponseFieldPaths);
    const body = toOpenAIRequest(input, { model: this.upstreamModel, servedModelId: this.id, stream: true });
    const res = await this.client.send(body, { servedModelId: this.id, signal: ctx.signal });
    const events = fromOpenAIStream(parseSse(res.body), {
      pointers,
      latencyMs: () => latencyMs(ctx),
      estimateInputTokens: () => estimateInputTokens(input),
    });
    yield* guardUpstreamStream(res.body, events, mapTransportError);
  }

  async countTokens(input: CountTokensInput): Promise<number> {
    return estimateCountTokens(input);
  }
}
