// Reads a request body within two limits: its size (checked against Content-Length before a byte is read,
// and again as bytes arrive) and its progress (a body that sends nothing for `stallMs` is answered 408
// RequestTimeoutException). A refused body is answered at once; what happens to the rest of it depends on
// the transport (release-request.ts): an HTTP/1.1 body already on its way is drained up to a cap so that a
// client writing its whole body before reading sees the answer, an HTTP/2 stream is reset after the answer,
// and a body never sent (Expect: 100-continue) is never asked for.
import { BedrockError } from "../core/errors.js";
import type { Request, Response } from "./http-types.js";
import { closeAfterAnswer, isHttp2, resetAfterAnswer } from "./release-request.js";
import { progressed, unwatch, watchStall } from "./stall-watch.js";

const DRAIN_EXTRA_BYTES = 16 * 1024 * 1024;

export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Longest wait for the next bytes of a body before it is answered 408. */
  readonly stallMs: number;
  /**
   * Runs on the whole body before it is handed out and throws to refuse it (a signed payload hash that does
   * not match). Checked here rather than in a `.then` after: no extra promise on every signed call.
   */
  readonly check?: (body: Buffer) => void;
}

const tooLarge = (size: number, limit: number) => new BedrockError(
  "ValidationException",
  `The request body is ${size} bytes, more than the ${limit} bytes allowed. Reduce the size of the request and try again.`,
);

export const bodyTimeout = (stallMs: number) => new BedrockError(
  "RequestTimeoutException",
  `The request body did not arrive: no bytes for ${stallMs} ms. Send the body without pausing and try again.`,
);

const expectsContinue = (req: Request) => String(req.headers.expect ?? "").toLowerCase() === "100-continue";

// Plain 'data'/'end' listeners rather than `for await`: the stream's async iterator costs several promises
// per request on the hottest path of every call.
export function readBody(req: Request, res: Response, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes, stallMs } = limits;
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Refused from its declared length, before a byte is read (and before any 100 Continue).
    if (expectsContinue(req)) isHttp2(res) ? resetAfterAnswer(res) : closeAfterAnswer(res);
    else release(req, res, limits);
    return Promise.reject(tooLarge(declared, maxBytes));
  }
  if (expectsContinue(req) && !res.headersSent) res.writeContinue();

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      unwatch(stall);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const stall = watchStall(stallMs, () => {
      stop();
      isHttp2(res) ? resetAfterAnswer(res) : closeAfterAnswer(res);
      reject(bodyTimeout(stallMs));
    });
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        release(req, res, limits, size);
        reject(tooLarge(size, maxBytes));
        return;
      }
      chunks.push(chunk);
      progressed(stall);
    };
    const onEnd = () => {
      stop();
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      try {
        limits.check?.(body);
      } catch (err) {
        reject(err);
        return;
      }
      resolve(body);
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    const onClose = () => {
      stop();
      reject(new Error("The client closed the request before its body was complete."));
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("close", onClose);
  });
}

/**
 * The rest of a refused body. HTTP/2: the stream is reset once the answer is out. HTTP/1.1: read and thrown
 * away (a client that writes its whole body before reading would otherwise meet a reset instead of the
 * answer) up to a cap, while bytes keep coming; past the cap, or stalled, the connection is dropped.
 */
function release(req: Request, res: Response, { maxBytes, stallMs }: BodyLimits, alreadyRead = 0): void {
  if (isHttp2(res)) return resetAfterAnswer(res);
  if (req.complete) return;
  const cap = Math.max(maxBytes * 4, maxBytes + DRAIN_EXTRA_BYTES);
  let drained = alreadyRead;
  const drop = () => {
    clearTimeout(stall);
    req.off("data", onData);
    req.destroy();
  };
  // Unref'd, and cleared with the connection: a drain the client walked away from must not hold the process
  // (a graceful stop, a test run) for the whole stall timeout.
  const stall = setTimeout(drop, stallMs).unref();
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > cap) drop();
    else stall.refresh();
  };
  const done = () => clearTimeout(stall);
  req.on("data", onData);
  req.once("end", done);
  req.once("close", done);
  req.socket?.once("close", done);
}
