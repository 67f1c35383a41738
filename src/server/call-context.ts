// One HTTP exchange as every front door sees it: request id, arrival time, caller, the call record, the
// client-gone signal and the body reader. The dispatcher makes one per request; a front door turns it into
// the model-level CallContext once it knows the modelId (`contextFor`). When the response closes, the record
// gets its latency and status and goes to `onEnd` (the observers), off the response path.
import { randomUUID } from "node:crypto";
import { ANONYMOUS, type Caller } from "../core/caller.js";
import { newCallRecord, type CallRecord } from "../core/call-record.js";
import type { CallContext } from "../core/model.js";
import type { Request, Response } from "./http-types.js";
import { readBody } from "./read-body.js";

/** What stays the same for every request of one server. */
export interface CallSetup {
  readonly maxBodyBytes: number;
  /** Aborted when the server begins to shut down: unary calls finish, streams end with an exception. */
  readonly shutdown: AbortSignal;
  /** Called once per request with the finished record, after the response has closed. */
  readonly onEnd?: (record: CallRecord) => void;
}

export class IncomingCall {
  readonly requestId = randomUUID();
  readonly startedAt = process.hrtime.bigint();
  readonly record: CallRecord;
  #caller: Caller = ANONYMOUS;
  // Read once and kept: authentication may need the body before the door reads it.
  #body?: Promise<Buffer>;
  #checkBody?: (body: Buffer) => void;
  // Made on first use (an echo Converse never asks), and not aborted after a complete response:
  // AbortController and abort()'s DOMException were together the largest per-request cost of a unary call.
  private controller?: AbortController;
  private clientGone = false;

  constructor(
    readonly req: Request,
    readonly res: Response,
    /** The URL path without its query string. */
    readonly path: string,
    frontDoor: string,
    private readonly setup: CallSetup,
  ) {
    this.record = newCallRecord({ requestId: this.requestId, frontDoor, caller: this.caller.name });
    res.once("close", () => this.closed());
  }

  /** Aborted when the client goes away before the response is complete. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.clientGone) this.controller.abort();
    }
    return this.controller.signal;
  }

  get shutdown(): AbortSignal {
    return this.setup.shutdown;
  }

  /** Who is calling: ANONYMOUS until the dispatcher's authentication says otherwise. */
  get caller(): Caller {
    return this.#caller;
  }

  /**
   * Sets the caller authentication found. `checkBody` runs on the body when it is read and throws if it is
   * not the body that was signed (a SigV4 signature over a declared payload hash is checked before the body
   * has arrived).
   */
  identify(caller: Caller, checkBody?: (body: Buffer) => void): void {
    this.#caller = caller;
    this.record.caller = caller.name;
    this.#checkBody = checkBody;
  }

  /** The request body, up to the server's limit (a larger one is a ValidationException). */
  readBody(): Promise<Buffer> {
    this.#body ??= readBody(this.req, this.setup.maxBodyBytes);
    const check = this.#checkBody;
    if (!check) return this.#body;
    return this.#body.then((body) => {
      check(body);
      return body;
    });
  }

  /** The CallContext a model sees for this request. */
  contextFor(requestedModelId: string): CallContext {
    const call = this;
    return {
      requestedModelId,
      requestId: this.requestId,
      startedAt: this.startedAt,
      caller: this.caller,
      record: this.record,
      get signal() {
        return call.signal;
      },
    };
  }

  private closed(): void {
    if (!this.res.writableEnded) {
      this.clientGone = true;
      this.record.clientGone = true;
      this.controller?.abort();
    }
    const onEnd = this.setup.onEnd;
    if (!onEnd) return;
    const record = this.record;
    record.latencyMs = Number((process.hrtime.bigint() - this.startedAt) / 1_000_000n);
    record.status ??= this.res.headersSent ? this.res.statusCode : undefined;
    onEnd(record);
  }
}
