// The response side of a bidirectional stream: each output event of the model's protocol goes out as a
// `chunk` event whose `bytes` are its JSON (base64); an exception ends it with a modelled exception frame
// of InvokeModelWithBidirectionalStreamOutput, or — for what the AWS front end rejects, such as an event whose
// signature does not verify — an unmodelled `error` message named after it (DIGEST §11.4), which the SDKs
// raise as an error of that name. Several producers write (a text answer, echoed audio), so
// writes are ordered by Node's write queue and each producer waits for 'drain' when the client reads slowly.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { CallRecord } from "../../../core/call-record.js";
import { errorKind } from "../../../core/errors.js";
import { encodeEvent } from "../../../formats/event-stream/encode.js";
import type { Response } from "../../../server/http-types.js";
import { reportError } from "../respond.js";
import { exceptionFrame } from "../write-event-stream.js";

const UNION = "InvokeModelWithBidirectionalStreamOutput";
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** An unmodelled error message: no payload, the name and text in headers. */
function errorMessage(code: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "error" },
      ":error-code": { type: "string", value: code },
      ":error-message": { type: "string", value: message },
    },
    body: new Uint8Array(0),
  });
}

export class OutputChannel {
  #ended = false;
  #drain?: Promise<void>;

  constructor(private readonly res: Response, private readonly requestId: string, private readonly record: CallRecord) {}

  /** True once the response has ended or the client has gone: nothing more will be written. */
  get closed(): boolean {
    return this.#ended || this.res.destroyed;
  }

  /** Writes one chunk whose bytes are an output event of the model protocol; resolves when it may write more. */
  async send(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    if (!this.res.write(encodeEvent("chunk", { bytes: base64 }))) await this.drained();
  }

  /** Ends the stream with the exception for `error` (noted in the call record), once. */
  fail(error: unknown): void {
    if (this.closed) return;
    const err = reportError(error, this.requestId, this.record);
    this.res.write(errorKind(err.errorName).authentication ? errorMessage(err.errorName, err.message) : exceptionFrame(err, UNION));
    this.end();
  }

  end(): void {
    if (this.closed) return;
    this.#ended = true;
    this.res.end();
  }

  private drained(): Promise<void> {
    this.#drain ??= new Promise<void>((resolve) => {
      const done = () => {
        this.res.off("drain", done);
        this.res.off("close", done);
        this.#drain = undefined;
        resolve();
      };
      this.res.once("drain", done);
      this.res.once("close", done);
    });
    return this.#drain;
  }
}
