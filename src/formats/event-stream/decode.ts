// An upstream ConverseStream body (AWS event stream) decoded into StreamEvents, for callers that need typed
// events rather than the relayed bytes. Exception and error messages become thrown BedrockErrors.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { BedrockError, type BedrockErrorName } from "../../core/errors.js";
import type { StreamEvent } from "../../core/model.js";
import { isObject, parseJsonSafely } from "../../core/json.js";
import { splitEventStreamFrames } from "./split.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function headerText(headers: Record<string, { value: unknown }>, name: string): string | undefined {
  const v = headers[name]?.value;
  return typeof v === "string" ? v : undefined;
}

const corrupt = () => new BedrockError("ModelStreamErrorException", "The model stream carried a corrupt event.");

function parsePayload(body: Uint8Array): Record<string, unknown> {
  if (body.byteLength === 0) return {};
  const parsed = parseJsonSafely(toUtf8(body));
  if (!parsed) throw corrupt();
  return isObject(parsed.value) ? parsed.value : {};
}

export async function* decodeConverseStream(body: AsyncIterable<Uint8Array>): AsyncIterable<StreamEvent> {
  for await (const frame of splitEventStreamFrames(body)) {
    let message;
    try {
      message = codec.decode(frame);
    } catch (err) {
      throw new BedrockError("ModelStreamErrorException", "The model stream carried a corrupt event.", {}, { cause: err });
    }
    const headers = message.headers as Record<string, { value: unknown }>;
    const kind = headerText(headers, ":message-type");
    if (kind === "event") {
      const type = headerText(headers, ":event-type");
      if (!type) continue;
      const payload = parsePayload(message.body);
      // Real Bedrock pads events with a random-length `p` member; it is not part of the event shape.
      delete payload.p;
      yield { [type]: payload } as unknown as StreamEvent;
    } else if (kind === "exception") {
      const type = headerText(headers, ":exception-type") ?? "modelStreamErrorException";
      const payload = parsePayload(message.body);
      const name = (type.charAt(0).toUpperCase() + type.slice(1)) as BedrockErrorName;
      const { message: text, ...fields } = payload;
      throw new BedrockError(name, typeof text === "string" ? text : "The model stream failed.", fields);
    } else {
      const code = headerText(headers, ":error-code") ?? "InternalError";
      throw new BedrockError("InternalServerException", headerText(headers, ":error-message") ?? code);
    }
  }
}
