// What the tracing observer is built from; its own file so tracing.ts (the lazy loader) and tracing-otel.ts
// (loaded by it) both take it without importing each other.
export interface TracingOptions {
  /** Provider name → provider type (openai, anthropic, bedrock, echo), for gen_ai.provider.name. */
  providerTypes: ReadonlyMap<string, string>;
  /** Told when the exporter fails (the logger); never fails a call. */
  onError?: (err: unknown) => void;
  onWarning?: (message: string) => void;
}
