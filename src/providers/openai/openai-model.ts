// A Model served by an OpenAI-compatible Chat Completions server (Ollama, vLLM, llama.cpp, LM Studio, OpenAI).
import { cancellationOf, latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../core/model.js";
import type { CountTokensInput } from "../../core/shapes.generated.js";
import { chatRequestFromConverse } from "../../formats/chat-completions/request-from-converse.js";
import { chatResponseToConverse, type EstimateUsage } from "../../formats/chat-completions/response-to-converse.js";
import { chatStreamToConverse } from "../../formats/chat-completions/stream-to-converse.js";
import type { OpenAIResponse } from "../../formats/chat-completions/types.js";
import { parseResponseFieldPaths } from "../../formats/converse/pick-response-fields.js";
import { sseEventsFromBody } from "../shared/sse-from-body.js";
import { estimateCountTokens, estimateInputTokens, estimateTextTokens } from "../shared/estimate-tokens.js";
import type { OpenAIClient } from "./openai-client.js";

export interface OpenAIModelOptions {
  /** The served modelId. */
  id: string;
  /** The upstream's model name. */
  upstreamModel: string;
  client: OpenAIClient;
}

/** Counts for servers that report no usage: the rule-of-thumb estimates. */
const estimateFor = (input: ConverseInput): EstimateUsage => (outputChars) => ({
  input: estimateInputTokens(input),
  output: estimateTextTokens(outputChars),
});

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
    const body = chatRequestFromConverse(input, { model: this.upstreamModel, servedModelId: this.id, stream: false });
    const res = await this.client.send(body, this.id, cancellationOf(ctx));
    const response = (await this.client.upstream.json(res, this.id)) as OpenAIResponse;
    return this.client.upstream.read(this.id, () =>
      chatResponseToConverse(response, { pointers, latencyMs: latencyMs(ctx), estimateUsage: estimateFor(input) }));
  }

  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    return this.client.upstream.openStream(async () => {
      const pointers = parseResponseFieldPaths(input.additionalModelResponseFieldPaths);
      const body = chatRequestFromConverse(input, { model: this.upstreamModel, servedModelId: this.id, stream: true });
      const res = await this.client.send(body, this.id, cancellationOf(ctx));
      await this.client.upstream.expectEventStream(res, this.id);
      const events = chatStreamToConverse(sseEventsFromBody(res.body), { pointers, latencyMs: () => latencyMs(ctx), estimateUsage: estimateFor(input) });
      return { body: res.body, events };
    }, { servedModelId: this.id, upstreamModel: this.upstreamModel });
  }

  async countTokens(input: CountTokensInput): Promise<number> {
    return estimateCountTokens(input);
  }
}
