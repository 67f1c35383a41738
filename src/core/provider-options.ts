// What a provider is built from, as the core states it. config/schema.ts parses basalt.yaml into exactly
// these shapes (it checks so at compile time), so providers never import the config's own types.

export interface EchoProviderOptions {
  readonly type: "echo";
}

export interface OpenAIProviderOptions {
  readonly type: "openai";
  /** Base URL of a Chat Completions-compatible API, including its `/v1` if it has one. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Extra headers sent upstream (e.g. OpenAI-Organization). */
  readonly headers?: Record<string, string>;
  /** Total deadline of one upstream attempt, whole answer or stream included. */
  readonly timeoutMs?: number;
  /** Deadline for the upstream's response head (a stream's first byte; a non-streamed answer's whole). */
  readonly firstByteTimeoutMs?: number;
}

export interface AnthropicProviderOptions {
  readonly type: "anthropic";
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** anthropic-version header. */
  readonly version: string;
  readonly headers?: Record<string, string>;
  /** Total deadline of one upstream attempt, whole answer or stream included. */
  readonly timeoutMs?: number;
  /** Deadline for the upstream's response head (a stream's first byte; a non-streamed answer's whole). */
  readonly firstByteTimeoutMs?: number;
}

export interface BedrockProviderOptions {
  readonly type: "bedrock";
  readonly region: string;
  /** A Bedrock-compatible endpoint; defaults to https://bedrock-runtime.{region}.amazonaws.com. */
  readonly endpoint?: string;
  /** A profile of the shared credentials/config files; else the default AWS credential chain. */
  readonly profile?: string;
  /** Total deadline of one upstream attempt, whole answer or stream included. */
  readonly timeoutMs?: number;
  /** Deadline for the upstream's response head (a stream's first byte; a non-streamed answer's whole). */
  readonly firstByteTimeoutMs?: number;
}

export type ProviderOptions = EchoProviderOptions | OpenAIProviderOptions | AnthropicProviderOptions | BedrockProviderOptions;
