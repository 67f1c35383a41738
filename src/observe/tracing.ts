// OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set. The SDK and
// exporter are loaded by a dynamic import at start-up in that case alone, so a server without the variable
// never loads or runs any OTel code.
import type { CallObserver } from "./call-observer.js";
import type { TracingOptions } from "./tracing-options.js";

export type { TracingOptions } from "./tracing-options.js";


export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== "true";
}

/** The tracing observer, or undefined when no OTLP endpoint is configured. */
export async function createTracing(opts: TracingOptions, env: NodeJS.ProcessEnv = process.env): Promise<CallObserver | undefined> {
  if (!tracingEnabled(env)) return undefined;
  const { createOtelTracing } = await import("./tracing-otel.js");
  return createOtelTracing(opts, env);
}
