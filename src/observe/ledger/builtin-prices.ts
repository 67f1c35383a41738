// On-demand list prices of well-known Bedrock model ids, USD per million tokens, us-east-1, as published on
// https://aws.amazon.com/bedrock/pricing/ on BUILTIN_PRICES_DATE. They fill in where `models[].price` is silent;
// prices change and differ by region, so a config that cares sets its own. Ids are the base model ids: an
// inference-profile prefix (`us.`, `eu.`, …) or an ARN is stripped before the lookup.
import type { PriceConfig } from "../observe-config.js";

export const BUILTIN_PRICES_DATE = "2025-06-01";

const p = (inputPerMillion: number, outputPerMillion: number, cacheWritePerMillion?: number, cacheReadPerMillion?: number): PriceConfig => ({
  inputPerMillion, outputPerMillion, cacheWritePerMillion, cacheReadPerMillion,
});

export const BUILTIN_PRICES: Readonly<Record<string, PriceConfig>> = {
  // Anthropic (cache write = 1.25 × input, cache read = 0.1 × input)
  "anthropic.claude-opus-4-1-20250805-v1:0": p(15, 75, 18.75, 1.5),
  "anthropic.claude-opus-4-20250514-v1:0": p(15, 75, 18.75, 1.5),
  "anthropic.claude-sonnet-4-20250514-v1:0": p(3, 15, 3.75, 0.3),
  "anthropic.claude-3-7-sonnet-20250219-v1:0": p(3, 15, 3.75, 0.3),
  "anthropic.claude-3-5-sonnet-20241022-v2:0": p(3, 15, 3.75, 0.3),
  "anthropic.claude-3-5-sonnet-20240620-v1:0": p(3, 15),
  "anthropic.claude-3-5-haiku-20241022-v1:0": p(0.8, 4, 1, 0.08),
  "anthropic.claude-3-opus-20240229-v1:0": p(15, 75),
  "anthropic.claude-3-sonnet-20240229-v1:0": p(3, 15),
  "anthropic.claude-3-haiku-20240307-v1:0": p(0.25, 1.25),
  // Amazon Nova (cache read = 0.25 × input; no charge for cache writes)
  "amazon.nova-premier-v1:0": p(2.5, 12.5),
  "amazon.nova-pro-v1:0": p(0.8, 3.2, 0, 0.2),
  "amazon.nova-lite-v1:0": p(0.06, 0.24, 0, 0.015),
  "amazon.nova-micro-v1:0": p(0.035, 0.14, 0, 0.00875),
  // Amazon Titan Text
  "amazon.titan-text-premier-v1:0": p(0.5, 1.5),
  "amazon.titan-text-express-v1": p(0.2, 0.6),
  "amazon.titan-text-lite-v1": p(0.15, 0.2),
  // Meta Llama
  "meta.llama3-8b-instruct-v1:0": p(0.3, 0.6),
  "meta.llama3-70b-instruct-v1:0": p(2.65, 3.5),
  "meta.llama3-1-8b-instruct-v1:0": p(0.22, 0.22),
  "meta.llama3-1-70b-instruct-v1:0": p(0.72, 0.72),
  "meta.llama3-1-405b-instruct-v1:0": p(2.4, 2.4),
  "meta.llama3-2-1b-instruct-v1:0": p(0.1, 0.1),
  "meta.llama3-2-3b-instruct-v1:0": p(0.15, 0.15),
  "meta.llama3-2-11b-instruct-v1:0": p(0.16, 0.16),
  "meta.llama3-2-90b-instruct-v1:0": p(0.72, 0.72),
  "meta.llama3-3-70b-instruct-v1:0": p(0.72, 0.72),
  // Mistral
  "mistral.mistral-7b-instruct-v0:2": p(0.15, 0.2),
  "mistral.mixtral-8x7b-instruct-v0:1": p(0.45, 0.7),
  "mistral.mistral-small-2402-v1:0": p(1, 3),
  "mistral.mistral-large-2402-v1:0": p(4, 12),
  // Cohere
  "cohere.command-r-v1:0": p(0.5, 1.5),
  "cohere.command-r-plus-v1:0": p(3, 15),
};
