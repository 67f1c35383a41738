// The one record of a call, filled in as the call goes (front door → policies → provider) and handed to the
// observers (observe/: log line, ledger, metrics, traces, history) once the response has closed. Policies and
// providers write to it; nothing reads it on the response path. Plain data, so a store can serialise it as is.

/** One try against one upstream target (retries and fallbacks add more). */
export interface AttemptRecord {
  /** Provider name (`providers:` key, or "echo"). */
  provider: string;
  /** The model name sent upstream. */
  upstreamModel: string;
  /** "ok", or the exception name the attempt ended with. */
  outcome: string;
  /** Upstream HTTP status when there was one. */
  status?: number;
  /** Backoff waited before this attempt, ms. */
  delayMs?: number;
  /** Wall time of the attempt, ms. */
  durationMs?: number;
}

export interface CallRecord {
  /** Epoch ms at arrival. */
  readonly startedAtMs: number;
  /** Epoch µs at arrival (monotonic clock): orders calls made within one millisecond. */
  readonly arrivalUs?: number;
  readonly requestId: string;
  /** "bedrock" | "control-plane" | "openai" | "anthropic" | "admin" | "batch" | "async" | … */
  frontDoor: string;
  /** AWS operation name, e.g. "Converse", "InvokeModelWithResponseStream". */
  operation: string;
  /** Caller name (auth key name) or "anonymous". */
  caller: string;
  /** The modelId as the client sent it. */
  requestedModelId?: string;
  /** The served model id it resolved to. */
  modelId?: string;
  provider?: string;
  upstreamModel?: string;
  attempts: AttemptRecord[];
  /** HTTP status sent (200 for a stream that later ended with an exception event). */
  status?: number;
  /** Exception name when the call failed (also for a stream's exception event). */
  errorName?: string;
  errorMessage?: string;
  /** The failure's causes, outermost first ("Error: fetch failed", "Error: connect ECONNREFUSED …"). */
  errorCause?: string[];
  stopReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  latencyMs?: number;
  /** Streams: ms from arrival to the first event written. */
  timeToFirstTokenMs?: number;
  /** Ms spent waiting for upstreams (sum over attempts); latency minus this is Basalt's overhead. */
  upstreamMs?: number;
  cache?: "hit" | "miss";
  /** Script id that answered, when a test-double script did. */
  script?: string;
  guardrailAction?: string;
  costUsd?: number | null;
  /** The client went away before the answer was complete. */
  clientGone?: boolean;
  /** The client's W3C `traceparent` header, so the call's trace span joins the caller's trace. */
  traceparent?: string;
  /**
   * Request and response for the call history, only when history bodies are on: the request body bytes, and
   * `{ contentType, body }` of what was written (observe/decode-bodies.ts decodes both, off the response path).
   */
  requestBody?: unknown;
  responseBody?: unknown;
}

export function newCallRecord(init: { requestId: string; frontDoor: string; operation?: string; caller?: string }): CallRecord {
  return {
    startedAtMs: Date.now(),
    arrivalUs: Math.round((performance.timeOrigin + performance.now()) * 1000),
    requestId: init.requestId,
    frontDoor: init.frontDoor,
    operation: init.operation ?? "",
    caller: init.caller ?? "anonymous",
    attempts: [],
  };
}
