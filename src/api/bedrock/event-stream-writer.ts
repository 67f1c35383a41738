// Writes AWS event-stream frames (prelude, headers, payload, CRCs) with @smithy/eventstream-codec.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { MessageHeaders } from "@smithy/types";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

// Header values reused by every frame; order as the real service sends them (:event-type, :content-type,
// :message-type).
const JSON_TYPE = { type: "string", value: "application/json" } as const;
const EVENT = { type: "string", value: "event" } as const;
const EXCEPTION = { type: "string", value: "exception" } as const;

/** An `event` frame whose payload is the JSON of one union member. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = {
    ":event-type": { type: "string", value: eventType },
    ":content-type": JSON_TYPE,
    ":message-type": EVENT,
  };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

/** An `exception` frame for a modelled error member of the stream union (lowerCamel name). */
export function encodeException(exceptionType: string, payload: Record<string, unknown>): Uint8Array {
  const headers: MessageHeaders = {
    ":exception-type": { type: "string", value: exceptionType },
    ":content-type": JSON_TYPE,
    ":message-type": EXCEPTION,
  };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

/** `ThrottlingException` → `throttlingException`, the member name used in stream unions. */
export function streamMemberName(errorName: string): string {
  return errorName.charAt(0).toLowerCase() + errorName.slice(1);
}
