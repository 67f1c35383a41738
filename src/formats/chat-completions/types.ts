// The Chat Completions wire shapes Basalt sends and reads (OpenAI API reference, plus the fields
// vLLM, DeepSeek, Ollama and llama.cpp add). Only what the translation touches is typed; everything
// else passes through untouched. Shapes Basalt reads from an upstream are loose (every field optional);
// the ones it writes (ChatCompletion, ChatCompletionChunk) are exact.
import type { JsonValue } from "../../core/shapes.generated.js";

export type OpenAIContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } }
  | { type: "input_audio"; input_audio: { data: string; format: string } };

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | OpenAIContentPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface OpenAITool {
  type: "function";
  function: { name: string; description?: string; parameters: JsonValue; strict?: boolean };
}

export type OpenAIToolChoice = "auto" | "required" | "none" | { type: "function"; function: { name: string } };

export interface OpenAIRequest {
  model: string;
  messages: OpenAIMessage[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  [extra: string]: unknown;
}

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** A response message; `reasoning_content` is vLLM's / DeepSeek's field, `reasoning` Ollama's (and newer vLLM's). */
export interface OpenAIResponseMessage {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAIToolCall[] | null;
}

export interface OpenAIChoice {
  index?: number;
  message?: OpenAIResponseMessage;
  finish_reason?: string | null;
  /** vLLM: the stop string (or stop token id) that ended generation. */
  stop_reason?: string | number | null;
}

export interface OpenAIResponse {
  id?: string;
  model?: string;
  choices?: OpenAIChoice[];
  usage?: OpenAIUsage | null;
  [extra: string]: unknown;
}

export interface OpenAIToolCallDelta {
  index?: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface OpenAIChunkChoice {
  index?: number;
  delta?: {
    role?: string;
    content?: string | null;
    refusal?: string | null;
    reasoning_content?: string | null;
    reasoning?: string | null;
    tool_calls?: OpenAIToolCallDelta[] | null;
  };
  finish_reason?: string | null;
  stop_reason?: string | number | null;
}

export interface OpenAIChunk {
  id?: string;
  model?: string;
  choices?: OpenAIChunkChoice[];
  usage?: OpenAIUsage | null;
  /** Servers report failures after the 200 as a chunk carrying an error object. */
  error?: OpenAIErrorObject;
  [extra: string]: unknown;
}

export interface OpenAIErrorObject {
  message?: string;
  type?: string;
  code?: string | number | null;
  param?: string | null;
}

// What Basalt writes is typed with `type` rather than `interface`, so a value passes where a plain JSON
// object (Record<string, unknown>) is expected.

/** Token counts as Basalt writes them. */
export type ChatUsage = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
};

/** A non-streamed answer as Basalt writes it. */
export type ChatCompletion = {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: "assistant"; content: string | null; reasoning_content?: string; tool_calls?: OpenAIToolCall[] };
    finish_reason: string;
  }[];
  usage: ChatUsage;
};

/** What one streamed delta may carry: a tool call's first delta names it, later ones add arguments. */
export type ChatDelta = {
  role?: "assistant";
  content?: string;
  /** The model's reasoning, where the answer carries it apart from `content` (ChatAnswerOptions.reasoning). */
  reasoning_content?: string;
  tool_calls?: ({ index: number; id?: string; type?: "function"; function: { name?: string; arguments: string } })[];
};

/** One streamed chunk as Basalt writes it; the last carries finish_reason and usage. */
export type ChatCompletionChunk = {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: number; delta: ChatDelta; finish_reason: string | null }[];
  usage?: ChatUsage;
};
