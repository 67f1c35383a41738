// One recorded interaction, as a readable JSON file: the normalized request and the answer. Streams keep
// each event with the milliseconds since the call began, so a replay can keep the original pacing. A file
// may be edited by hand: it is validated loosely and its request is normalized again when read.
import type { ConverseOutput, StreamEvent } from "../../../core/model.js";
import type { CassetteRequest } from "./normalize-request.js";

export const CASSETTE_VERSION = 1;

export interface RecordedError {
  /** Bedrock exception name, e.g. ThrottlingException. */
  type: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface TimedEvent {
  atMs: number;
  event: StreamEvent;
}

/** One message of a relayed event stream. Invoke chunks keep their bytes decoded, as `chunk`, for reading. */
export interface RecordedFrame {
  atMs: number;
  /** `event` messages: the event type (chunk, messageStart, …); `exception` messages: the exception type. */
  event?: string;
  exception?: string;
  payload: Record<string, unknown>;
}

export interface RecordedRelay {
  status: number;
  headers: Record<string, string>;
  /** Exactly one body form: parsed JSON, text, raw base64, or event-stream messages. */
  json?: unknown;
  text?: string;
  base64?: string;
  frames?: RecordedFrame[];
}

export type CassetteResponse =
  | { kind: "output"; output: ConverseOutput }
  | { kind: "stream"; events: TimedEvent[]; error?: RecordedError & { atMs: number } }
  | { kind: "error"; error: RecordedError }
  | { kind: "tokens"; inputTokens: number }
  | { kind: "relay"; relay: RecordedRelay };

export interface CassetteFile {
  basaltCassette: number;
  recordedAt: string;
  request: CassetteRequest;
  response: CassetteResponse;
}

const KINDS = new Set(["output", "stream", "error", "tokens", "relay"]);

/** A parsed file as a cassette, or undefined when it is some other JSON file. */
export function asCassette(value: unknown): CassetteFile | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Partial<CassetteFile>;
  if (typeof v.basaltCassette !== "number" || !v.request || typeof v.request !== "object") return undefined;
  if (!v.response || !KINDS.has((v.response as { kind?: string }).kind ?? "")) return undefined;
  return v as CassetteFile;
}
