// One HTTP exchange as every front door sees it: request id, arrival time, caller, the call record, the
// client-gone signal and the body reader. The dispatcher makes one per request; a front door turns it into
// the model-level CallContext once it knows the modelId (`contextFor`). When the response closes, the record
// gets its latency and status and goes to `onEnd` (the observers), off the response path.
import { randomUUID } from "node:crypto";
import { ANONYMOUS, type Caller } from "../core/caller.js";
import { newCallRecord, type CallRecord } from "../core/call-record.js";
import { CallContextOf, type CallContext } from "../core/model.js";
import { CancelListeners, abortReason, noop } from "../core/cancellation.js";
import type { EventSignatureChain } from "../auth/verify-event-signature.js";
import type { Request, Response } from "./http-types.js";
import { readBody } from "./read-body.js";

/** What stays the same for every request of one server. */
export interface CallSetup {
  readonly maxBodyBytes: number;
  /** How long a request body may pause before it is answered 408 RequestTimeoutException. */
  readonly bodyTimeoutMs: number;
  /** Aborted when the server begins to shut down: unary calls finish, streams end with an exception. */
  readonly shutdown: AbortSignal;
  /** Called once per request with the finished record, after the response has closed. */
  readonly onEnd?: (record: CallRecord) => void;
  /** Keep each call's request body and response bytes in its record, for the call history (not for admin calls). */
  readonly keepBodies?: boolean;
}

export class IncomingCall {
  readonly requestId = randomUUID();
  readonly startedAt = process.hrtime.bigint();
  readonly record: CallRecord;
  #caller: Caller = ANONYMOUS;
  // Read once and kept: authentication may need the body before the door reads it.
  #body?: Promise<Buffer>;
  #checkBody?: (body: Buffer) => void;
  /** The check readBody was started with (see readBody). */
  #checkedBody?: (body: Buffer) => void;
  #eventSignatures?: EventSignatureChain;
  // Made on first use (an echo Converse never asks), and not aborted after a complete response:
  // AbortController and abort()'s DOMException were together the largest per-request cost of a unary call.
  private controller?: AbortController;
  // Told when the client goes away, for what needs no signal (an upstream request: CallContext.onCancel).
  // Made when something first listens: most calls (echo, a cache hit) never do.
  #cancel?: CancelListeners;
  private clientGone = false;
  // Only with history bodies on: the written response chunks (the request body goes straight to the record).
  private readonly keepsBodies: boolean = false;
  private responseChunks?: Buffer[];
  private responseContentType?: string;

  constructor(
    readonly req: Request,
    readonly res: Response,
    /** The URL path without its query string. */
    readonly path: string,
    frontDoor: string,
    private readonly setup: CallSetup,
    /** Told first when the response closes (the dispatcher's list of open calls): one close listener per call. */
    private readonly onClosed?: (call: IncomingCall) => void,
  ) {
    this.record = newCallRecord({ requestId: this.requestId, frontDoor, caller: this.caller.name });
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === "string") this.record.traceparent = traceparent;
    if (setup.keepBodies && frontDoor !== "admin") this.keepsBodies = true;
    if (this.keepsBodies) this.responseChunks = teeResponse(res, (type) => (this.responseContentType = type));
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

  /** `listener` is told when the client goes away (at once if it has), without the signal being made. */
  onCancel(listener: (reason: unknown) => void): () => void {
    if (this.clientGone) {
      listener(abortReason());
      return noop;
    }
    return (this.#cancel ??= new CancelListeners()).listen(listener);
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
  identify(caller: Caller, checkBody?: (body: Buffer) => void, eventSignatures?: EventSignatureChain): void {
    this.#caller = caller;
    this.record.caller = caller.name;
    this.#checkBody = checkBody;
    this.#eventSignatures = eventSignatures;
  }

  /**
   * For a SigV4-signed request whose body is signed event by event (the bidirectional stream, auth on):
   * the chain every body message must verify against. Undefined when auth is off or the caller used a key.
   */
  get eventSignatures(): EventSignatureChain | undefined {
    return this.#eventSignatures;
  }

  /**
   * The request body, up to the server's limit (a larger one is a ValidationException, answered before the
   * rest is read), arriving without a pause longer than the body timeout (else RequestTimeoutException).
   */
  readBody(): Promise<Buffer> {
    const check = this.#checkBody;
    if (!this.#body) {
      // The signed-body check (if any) runs as the body completes, once, whoever asks for the body first.
      this.#checkedBody = check;
      this.#body = readBody(this.req, this.res, { maxBytes: this.setup.maxBodyBytes, stallMs: this.setup.bodyTimeoutMs, check });
      if (this.keepsBodies) this.#body = this.#body.then((b) => ((this.record.requestBody = compactCopy(b)), b));
    }
    if (!check || check === this.#checkedBody) return this.#body;
    // Identified after the body was first asked for: check it on the way out.
    return this.#body.then((body) => {
      check(body);
      return body;
    });
  }

  /** The CallContext a model sees for this request. */
  contextFor(requestedModelId: string): CallContext {
    return new CallContextOf(requestedModelId, this.requestId, this.startedAt, this.caller, this.record, this);
  }

  private closed(): void {
    this.onClosed?.(this);
    if (!this.res.writableEnded) {
      this.clientGone = true;
      this.record.clientGone = true;
      this.controller?.abort();
      this.#cancel?.cancel(abortReason());
    }
    const onEnd = this.setup.onEnd;
    if (!onEnd) return;
    const record = this.record;
    record.latencyMs = Number((process.hrtime.bigint() - this.startedAt) / 1_000_000n);
    record.status ??= this.res.headersSent ? this.res.statusCode : undefined;
    if (this.responseChunks) {
      const contentType = this.responseContentType ?? this.res.getHeader("content-type");
      record.responseBody = { contentType: String(contentType ?? ""), body: Buffer.concat(this.responseChunks) };
    }
    onEnd(record);
  }
}

/**
 * Collects what is written to a response (references to the written chunks, no copy until the end), and the
 * content type given to writeHead (headers passed there are not readable back through getHeader).
 */
function teeResponse(res: Response, onContentType: (type: string) => void): Buffer[] {
  const chunks: Buffer[] = [];
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    const headers = args.find((a) => typeof a === "object" && a !== null && !Array.isArray(a)) as Record<string, unknown> | undefined;
    const type = headers?.["content-type"];
    if (typeof type === "string") onContentType(type);
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response["writeHead"];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  };
  const write = res.write;
  const end = res.end;
  // HTTP/2's end(chunk) writes the chunk through write(): keep it once.
  let ending = false;
  res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
    if (!ending) keep(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response["write"];
  res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== "function") keep(chunk, rest[0]);
    ending = true;
    try {
      return (end as (...a: unknown[]) => Response).call(this, chunk, ...rest);
    } finally {
      ending = false;
    }
  } as Response["end"];
  return chunks;
}

/**
 * The body as kept in the call history. A one-chunk body is a view on the socket's read, headers included;
 * the history holds 1,000 calls long after their sockets are gone, so it keeps just the body's bytes.
 */
export function compactCopy(body: Buffer): Buffer {
  if (body.byteLength * 2 > body.buffer.byteLength) return body;
  // Not Buffer.from: a small copy would land in Node's shared 8 KB pool and hold a slab in turn.
  const own = Buffer.allocUnsafeSlow(body.byteLength);
  body.copy(own);
  return own;
}
