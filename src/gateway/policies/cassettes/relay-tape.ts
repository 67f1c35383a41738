// A relayed answer (a Bedrock backend's own bytes) on tape: recorded as it passes through to the client,
// and played back as the same kind of answer. Event streams are kept as decoded messages — `chunk` payloads
// of InvokeModelWithResponseStream with their bytes decoded — so the file reads like the stream it was.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { encodeEvent, encodeException } from "../../../formats/event-stream/encode.js";
import type { RelayedResponse } from "../../../core/model.js";
import { splitEventStreamFrames } from "../../../formats/event-stream/split.js";
import { pause } from "../../../providers/echo/faults.js";
import type { RecordedFrame, RecordedRelay } from "./cassette-file.js";
import { keepHeader } from "./scrub-secrets.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const EVENT_STREAM = "application/vnd.amazon.eventstream";

const isEventStream = (r: { status: number; headers: Record<string, string> }) =>
  r.status === 200 && (r.headers["content-type"] ?? "").startsWith(EVENT_STREAM);

function keptHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => keepHeader(k)));
}

/**
 * Passes the answer through unchanged and, once its body has ended, hands its recording to `done` (awaited
 * before the body ends, so a finished response is already on disk).
 */
export function tapeRelay(upstream: RelayedResponse, startedAt: number, done: (recording: RecordedRelay) => Promise<void>): RelayedResponse {
  const status = upstream.status;
  const headers = keptHeaders(upstream.headers);
  async function* body(): AsyncIterable<Uint8Array> {
    if (isEventStream(upstream)) {
      const frames: RecordedFrame[] = [];
      for await (const frame of splitEventStreamFrames(upstream.body)) {
        frames.push(decodeFrame(frame, Date.now() - startedAt));
        yield frame;
      }
      await done({ status, headers, frames });
      return;
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of upstream.body) {
      chunks.push(chunk);
      yield chunk;
    }
    await done({ status, headers, ...bodyForm(Buffer.concat(chunks)) });
  }
  return { status: upstream.status, headers: upstream.headers, body: body() };
}

function bodyForm(bytes: Buffer): Pick<RecordedRelay, "json" | "text" | "base64"> {
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) return { base64: bytes.toString("base64") };
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { text };
  }
}

function decodeFrame(frame: Uint8Array, atMs: number): RecordedFrame {
  const message = codec.decode(frame);
  const header = (name: string) => {
    const v = message.headers[name]?.value;
    return typeof v === "string" ? v : undefined;
  };
  let payload: Record<string, unknown> = {};
  if (message.body.byteLength > 0) payload = JSON.parse(toUtf8(message.body)) as Record<string, unknown>;
  // Real Bedrock pads events with a random-length `p`; it carries nothing.
  delete payload.p;
  if (header(":message-type") === "exception") return { atMs, exception: header(":exception-type") ?? "internalServerException", payload };
  const event = header(":event-type") ?? "chunk";
  if (event === "chunk" && typeof payload.bytes === "string") {
    try {
      const { bytes, ...rest } = payload;
      payload = { ...rest, chunk: JSON.parse(Buffer.from(bytes, "base64").toString("utf8")) };
    } catch {
      // Not JSON inside: keep the bytes as they came.
    }
  }
  return { atMs, event, payload };
}

function encodeFrame(frame: RecordedFrame): Uint8Array {
  if (frame.exception) return encodeException(frame.exception, frame.payload);
  const { chunk, ...rest } = frame.payload;
  const payload = chunk === undefined ? frame.payload : { ...rest, bytes: Buffer.from(JSON.stringify(chunk)).toString("base64") };
  return encodeEvent(frame.event ?? "chunk", payload);
}

/** The recorded answer, served again; with `paced`, stream messages keep their recorded spacing. */
export function playRelay(recording: RecordedRelay, opts: { paced: boolean; signal: AbortSignal }): RelayedResponse {
  const headers = { ...recording.headers };
  async function* body(): AsyncIterable<Uint8Array> {
    if (recording.frames) {
      const start = Date.now();
      for (const frame of recording.frames) {
        if (opts.paced) {
          const wait = start + frame.atMs - Date.now();
          if (wait > 0) await pause(wait, opts.signal);
        }
        yield encodeFrame(frame);
      }
      return;
    }
    if (recording.json !== undefined) yield Buffer.from(JSON.stringify(recording.json));
    else if (recording.text !== undefined) yield Buffer.from(recording.text);
    else if (recording.base64 !== undefined) yield Buffer.from(recording.base64, "base64");
  }
  return { status: recording.status, headers, body: body() };
}
