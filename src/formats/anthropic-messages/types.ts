// The parts of Anthropic's Messages API (POST /v1/messages, anthropic-version 2023-06-01) Basalt reads
// and writes, as the API reference documents them. Fields passed through untouched
// (additionalModelRequestFields) are not modelled. Shapes read from an upstream are loose; the ones
// Basalt writes (…Out) are exact, and declared with `type` so they pass as plain JSON objects.
import type { AnthropicCitation } from "./map-citation.js";

export interface AnthropicCacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

/** Any request block may carry cache_control; the translation sets it where a cachePoint follows. */
interface Cacheable {
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicTextBlock extends Cacheable {
  type: "text";
  text: string;
  /** The passages a cited answer's text rests on (map-citation.ts). */
  citations?: AnthropicCitation[];
}

export interface AnthropicImageBlock extends Cacheable {
  type: "image";
  source: { type: "base64"; media_type: string; data: string };
}

export type AnthropicDocumentSource =
  | { type: "base64"; media_type: "application/pdf"; data: string }
  | { type: "text"; media_type: "text/plain"; data: string }
  | { type: "content"; content: { type: "text"; text: string }[] };

export interface AnthropicDocumentBlock extends Cacheable {
  type: "document";
  source: AnthropicDocumentSource;
  title?: string;
  context?: string;
  citations?: { enabled: boolean };
}

export interface AnthropicSearchResultBlock extends Cacheable {
  type: "search_result";
  source: string;
  title: string;
  content: { type: "text"; text: string }[];
  citations?: { enabled: boolean };
}

export interface AnthropicToolUseBlock extends Cacheable {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
}

export type AnthropicToolResultContent = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock | AnthropicSearchResultBlock;

export interface AnthropicToolResultBlock extends Cacheable {
  type: "tool_result";
  tool_use_id: string;
  content: AnthropicToolResultContent[];
  is_error?: boolean;
}

export interface AnthropicThinkingBlock extends Cacheable {
  type: "thinking";
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock extends Cacheable {
  type: "redacted_thinking";
  data: string;
}

export type AnthropicRequestBlock =
  | AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock | AnthropicSearchResultBlock
  | AnthropicToolUseBlock | AnthropicToolResultBlock | AnthropicThinkingBlock | AnthropicRedactedThinkingBlock;

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: AnthropicRequestBlock[];
}

export interface AnthropicTool extends Cacheable {
  name: string;
  description?: string;
  input_schema: unknown;
  strict?: boolean;
}

export type AnthropicToolChoice = { type: "auto" } | { type: "any" } | { type: "tool"; name: string };

export interface AnthropicRequest {
  model: string;
  messages: AnthropicMessage[];
  max_tokens?: number;
  system?: AnthropicTextBlock[];
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stream?: boolean;
  /** additionalModelRequestFields land here (top_k, thinking, …). */
  [extra: string]: unknown;
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** Cache writes broken down by TTL (newer API versions). */
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
}

/** A response content block: the request block types plus server-tool blocks we do not translate. */
export type AnthropicResponseBlock =
  | AnthropicTextBlock | AnthropicToolUseBlock | AnthropicThinkingBlock | AnthropicRedactedThinkingBlock
  | { type: string; [key: string]: unknown };

export interface AnthropicResponse {
  id?: string;
  type?: "message";
  role?: "assistant";
  model?: string;
  content?: AnthropicResponseBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

export interface AnthropicErrorObject {
  type?: string;
  message?: string;
}

/** One SSE event's `data`, by its `type`. */
export type AnthropicStreamEvent =
  | { type: "message_start"; message: AnthropicResponse }
  | { type: "content_block_start"; index: number; content_block: AnthropicResponseBlock }
  | { type: "content_block_delta"; index: number; delta: AnthropicDelta }
  | { type: "content_block_stop"; index: number }
  | { type: "message_delta"; delta: { stop_reason?: string | null; stop_sequence?: string | null }; usage?: AnthropicUsage }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: AnthropicErrorObject };

export type AnthropicDelta =
  | { type: "text_delta"; text: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  | { type: string; [key: string]: unknown };

/** The usage object Basalt writes: every count present. */
export type AnthropicUsageOut = {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
};

/** A content block Basalt writes in an answer (and sends back in an assistant turn). */
export type AnthropicBlockOut = AnthropicTextBlock | AnthropicToolUseBlock | AnthropicThinkingBlock | AnthropicRedactedThinkingBlock;

/** A `message` as Basalt writes it. */
export type AnthropicMessageOut = {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicBlockOut[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: AnthropicUsageOut;
};

/** One streamed event as Basalt writes it; its `type` is also the SSE event name. */
export type AnthropicStreamEventOut =
  | { type: "message_start"; message: AnthropicMessageOut }
  | { type: "content_block_start"; index: number; content_block: AnthropicBlockOut }
  | { type: "content_block_delta"; index: number; delta: AnthropicDelta }
  | { type: "content_block_stop"; index: number }
  // stop_sequence is absent when Bedrock reports a guardrail's intervention (response-from-converse.ts).
  | { type: "message_delta"; delta: { stop_reason: string; stop_sequence?: string | null }; usage: AnthropicUsageOut }
  | { type: "message_stop" };
