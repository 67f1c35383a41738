// Structured logs on stdout (pino). Never log secrets or bodies: provider configs are not logged, and
// errors are logged by name, message and cause chain only.
// BASALT_LOG_FORMAT=pretty: one readable, coloured line per entry for a terminal (pino-pretty, in-process and
// synchronous so nothing is lost on exit); JSON lines otherwise, batched a few milliseconds at a time (log-sink.ts).
import { createRequire } from "node:module";
import { pino } from "pino";
import type { PinoPretty as PinoPrettyType } from "pino-pretty";
import { batchedSink, type LogSink } from "./log-sink.js";

const options = {
  level: process.env.BASALT_LOG_LEVEL ?? "info",
  base: undefined,
  // A second line of defence: no code path logs these, but a config or a request object logged by mistake
  // must not carry a key out.
  redact: [
    "apiKey", "*.apiKey", "secretAccessKey", "*.secretAccessKey", "sessionToken", "*.sessionToken", "adminKey", "*.adminKey",
    "headers.authorization", "*.headers.authorization", 'headers["x-api-key"]', '*.headers["x-api-key"]',
  ],
};

// Loaded only in pretty mode (pino-pretty and its dependencies are ~8 MB of RSS a JSON-logging node never needs);
// required, not imported, so the logger is still made synchronously at start-up.
function prettyStream(): typeof PinoPrettyType {
  return (createRequire(import.meta.url)("pino-pretty") as { PinoPretty: typeof PinoPrettyType }).PinoPretty;
}

function jsonSink(): LogSink {
  const sink = batchedSink();
  process.on("exit", () => sink.flushSync());
  return sink;
}

export const log =
  process.env.BASALT_LOG_FORMAT === "pretty"
    ? pino(options, prettyStream()({ sync: true, singleLine: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }))
    : pino(options, jsonSink());

interface ErrorLink { name: string; message: string; code?: string }

/** An error and its causes (ES2022 `cause`), outermost first; bounded in case of a cycle. */
export function causeChain(error: unknown): ErrorLink[] {
  const chain: ErrorLink[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) {
    if (e instanceof Error) {
      const code = (e as NodeJS.ErrnoException).code;
      chain.push({ name: e.name, message: e.message, ...(typeof code === "string" && { code }) });
    } else {
      chain.push({ name: typeof e, message: String(e) });
      break;
    }
  }
  return chain;
}

/** A failure nobody foresaw (answered as a 500 or an internal stream error): request id, chain and stack. */
export function logUnexpected(error: unknown, requestId: string): void {
  log.error(
    { requestId, causes: causeChain(error), stack: error instanceof Error ? error.stack : undefined },
    "unexpected error",
  );
}

/** A typed error answered with a 5xx (the client saw its name and message): request id, status and causes. */
export function logServerFault(error: Error, status: number, requestId: string): void {
  log.error({ requestId, status, causes: causeChain(error) }, "server fault answered");
}
