// Fault injection for basalt.echo, driven by the first text block of the last user message:
//   /error NAME [message]            → the call fails with that Bedrock exception
//   /error-after N NAME [message]    → ConverseStream sends N events, then the exception (Converse just fails)
//   /slow MS rest of text            → the reply is `rest of text`, paced MS ms per token (streams and Converse)
// so that every error status, mid-stream exception, shutdown and backpressure path is testable end to end.
import { BedrockError, MODELLED_ERROR_NAMES, validationError, type BedrockErrorName } from "../../core/errors.js";
import type { ContentBlock } from "../../core/shapes.generated.js";

const INJECTABLE = new Set<string>(MODELLED_ERROR_NAMES);

export type Fault =
  | { kind: "error"; after: number; error: BedrockError }
  | { kind: "slow"; delayMs: number; text: string };

const ERROR = /^\/error\s+(\S+)\s*([\s\S]*)$/;
const ERROR_AFTER = /^\/error-after\s+(\d+)\s+(\S+)\s*([\s\S]*)$/;
const SLOW = /^\/slow\s+(\d+)\s*([\s\S]*)$/;

function injected(name: string, message: string): BedrockError {
  if (!INJECTABLE.has(name)) {
    throw validationError(`The /error line names an unknown exception: ${name}. Use one of: ${[...INJECTABLE].join(", ")}.`);
  }
  const text = message.trim() || `Injected ${name} from basalt.echo.`;
  const fields = name === "ModelErrorException" || name === "ModelStreamErrorException" ? { originalStatusCode: 500 } : {};
  return new BedrockError(name as BedrockErrorName, text, fields);
}

/** The fault a message asks for, if its first text block is a fault line. */
export function parseFault(lastUser: ContentBlock[] | undefined): Fault | undefined {
  const first = lastUser?.find((b): b is { text: string } => "text" in b)?.text.trimStart();
  if (!first || first.charCodeAt(0) !== 47 /* '/' */) return undefined;
  let m = ERROR_AFTER.exec(first);
  if (m) return { kind: "error", after: Number(m[1]), error: injected(m[2], m[3]) };
  m = ERROR.exec(first);
  if (m) return { kind: "error", after: 0, error: injected(m[1], m[2]) };
  m = SLOW.exec(first);
  if (m) return { kind: "slow", delayMs: Number(m[1]), text: m[2] };
  return undefined;
}

/** Waits, unless the call is aborted first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
