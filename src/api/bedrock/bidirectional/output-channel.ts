// The response side of a bidirectional stream: each output event of the model's protocol goes out as a
// `chunk` event whose `bytes` are its JSON (base64); an exception ends it with a modelled exception frame
// of InvokeModelWithBidirectionalStreamOutput. Several producers write (a text answer, echoed audio), so
// writes are ordered by Node's write queue and each producer waits for 'drain' when the client reads slowly.
import type { CallRecord } from "../../../core/call-record.js";
import { encodeEvent } from "../../../formats/event-stream/encode.js";
import type { Response } from "../../../server/http-types.js";
import { reportError } from "../respond.js";
import { exceptionFrame } from "../write-event-stream.js";

const UNION = "InvokeModelWithBidirectionalStreamOutput";

export class OutputChannel {
  #ended = false;
  #drain?: Promise<void>;

  constructor(private readonly res: Response, private readonly requestId: string, private readonly record: CallRecord) {}

  /** True once the response has ended or the client has gone: nothing more will be written. */
  get closed(): boolean {
    return this.#ended || this.res.destroyed;
  }

  /** Writes one output event of the model protocol (a JSON value) as a chunk; resolves when it may write more. */
  async send(event: unknown): Promise<void> {
    if (this.closed) return;
    const bytes = Buffer.from(JSON.stringify(event), "utf8").toString("base64");
    if (!this.res.write(encodeEvent("chunk", { bytes }))) await this.drained();
  }

  /** Ends the stream with the exception for `error` (noted in the call record), once. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.res.write(exceptionFrame(reportError(error, this.requestId, this.record), UNION));
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
