// One span per finished call following the OpenTelemetry GenAI semantic conventions, with a child span per
// upstream attempt. Spans are made after the call from the record's times, so tracing adds nothing to the
// response path. The client's `traceparent` (W3C Trace Context) makes the call span a child of the caller's.
// Loaded only by tracing.ts when an OTLP endpoint is configured.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Tracer } from "@opentelemetry/api";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { CallRecord } from "../core/call-record.js";
import type { CallObserver } from "./call-observer.js";
import type { TracingOptions } from "./tracing-options.js";

const INFERENCE_OPERATIONS = new Set(["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"]);

/** Well-known gen_ai.provider.name values for Basalt's provider types. */
const GEN_AI_PROVIDER: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  bedrock: "aws.bedrock",
  echo: "basalt.echo",
};

/** gen_ai.operation.name: "chat" for the inference operations, else the operation in snake_case. */
export function genAiOperation(operation: string): string {
  if (INFERENCE_OPERATIONS.has(operation)) return "chat";
  return operation.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase() || "unknown";
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The remote parent from a W3C `traceparent` header, or the root context when absent or malformed. */
export function parentContext(traceparent: string | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (!m || m[1] === "ff" || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: m[2], spanId: m[3], traceFlags: parseInt(m[4], 16) & 1, isRemote: true });
}

function exporterFor(env: NodeJS.ProcessEnv, warn?: (m: string) => void): SpanExporter {
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
  if (protocol === "http/json") return new JsonExporter();
  if (protocol !== "http/protobuf") warn?.(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported; using http/protobuf`);
  return new ProtoExporter();
}

class OtelTracing implements CallObserver {
  readonly name = "tracing";
  constructor(
    private readonly tracer: Tracer,
    private readonly provider: BasicTracerProvider,
    private readonly opts: TracingOptions,
  ) {}

  observe(r: Readonly<CallRecord>): void {
    const op = genAiOperation(r.operation);
    const requestModel = r.requestedModelId ?? r.modelId ?? "";
    const endMs = r.startedAtMs + (r.latencyMs ?? 0);
    const providerType = r.provider ? this.opts.providerTypes.get(r.provider) : undefined;
    const attributes: Attributes = {
      "gen_ai.operation.name": op,
      "gen_ai.request.model": requestModel,
      "basalt.request_id": r.requestId,
      "basalt.front_door": r.frontDoor,
      "basalt.operation": r.operation,
      "basalt.caller": r.caller,
    };
    if (providerType) attributes["gen_ai.provider.name"] = GEN_AI_PROVIDER[providerType] ?? providerType;
    if (r.provider) attributes["basalt.provider"] = r.provider;
    if (r.modelId) attributes["basalt.model"] = r.modelId;
    if (r.upstreamModel ?? r.modelId) attributes["gen_ai.response.model"] = r.upstreamModel ?? r.modelId;
    if (r.inputTokens !== undefined) attributes["gen_ai.usage.input_tokens"] = r.inputTokens;
    if (r.outputTokens !== undefined) attributes["gen_ai.usage.output_tokens"] = r.outputTokens;
    if (r.stopReason) attributes["gen_ai.response.finish_reasons"] = [r.stopReason];
    if (r.status !== undefined) attributes["http.response.status_code"] = r.status;
    if (r.timeToFirstTokenMs !== undefined) attributes["basalt.time_to_first_token_ms"] = r.timeToFirstTokenMs;
    if (r.costUsd !== undefined && r.costUsd !== null) attributes["basalt.cost_usd"] = r.costUsd;
    if (r.cache) attributes["basalt.cache"] = r.cache;
    if (r.errorName) attributes["error.type"] = r.errorName;

    const traceparent = r.traceparent;
    const span = this.tracer.startSpan(
      `${op} ${requestModel}`.trim(),
      { kind: SpanKind.SERVER, startTime: r.startedAtMs, attributes },
      parentContext(traceparent),
    );
    if (r.errorName) span.setStatus({ code: SpanStatusCode.ERROR, message: r.errorName });

    // Attempts carry durations, not start times: lay them end to end from the call's start, each after its backoff.
    const parent = trace.setSpan(ROOT_CONTEXT, span);
    let cursor = r.startedAtMs;
    for (const [i, a] of r.attempts.entries()) {
      const start = cursor + (a.delayMs ?? 0);
      const end = start + (a.durationMs ?? 0);
      cursor = end;
      const type = this.opts.providerTypes.get(a.provider);
      const child = this.tracer.startSpan(
        `${op} ${a.upstreamModel}`,
        {
          kind: SpanKind.CLIENT,
          startTime: start,
          attributes: {
            "gen_ai.operation.name": op,
            "gen_ai.request.model": a.upstreamModel,
            "gen_ai.provider.name": type ? (GEN_AI_PROVIDER[type] ?? type) : a.provider,
            "basalt.provider": a.provider,
            "basalt.attempt": i + 1,
            "basalt.attempt.outcome": a.outcome,
            ...(a.status !== undefined ? { "http.response.status_code": a.status } : {}),
            ...(a.outcome !== "ok" ? { "error.type": a.outcome } : {}),
          },
        },
        parent,
      );
      if (a.outcome !== "ok") child.setStatus({ code: SpanStatusCode.ERROR, message: a.outcome });
      child.end(end);
    }
    span.end(Math.max(endMs, cursor));
  }

  async close(): Promise<void> {
    await this.provider.shutdown().catch((err: unknown) => this.opts.onError?.(err));
  }
}

export function createOtelTracing(opts: TracingOptions, env: NodeJS.ProcessEnv): CallObserver {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME ?? "basalt" }),
    spanProcessors: [new BatchSpanProcessor(exporterFor(env, opts.onWarning))],
  });
  return new OtelTracing(provider.getTracer("basalt"), provider, opts);
}
