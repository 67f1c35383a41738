// Reads a request body with a size limit. Past the limit the rest is drained (so the client can read the
// error instead of a reset) up to a hard cap, then the connection is dropped.
import { BedrockError } from "../core/errors.js";
import type { Request } from "./http-types.js";

const DRAIN_EXTRA_BYTES = 16 * 1024 * 1024;

// Plain 'data'/'end' listeners rather than `for await`: the stream's async iterator costs several promises
// per request on the hottest path of every call.
export function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    let settled = false;
    // Draining (not buffering) an oversized body lets HTTP/1.1 clients, which write the whole body before
    // reading, see the typed 400; a reset after a few KB would reach them as ECONNRESET instead.
    const drainCap = Math.max(limit * 4, limit + DRAIN_EXTRA_BYTES);
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (over) {
        reject(new BedrockError(
          "ValidationException",
          `The request body is ${Number.isFinite(declared) ? declared : size} bytes, more than the ${limit} bytes allowed. Reduce the size of the request and try again.`,
        ));
      } else if (err) {
        reject(err);
      } else {
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) return void chunks.push(chunk);
      if (size > drainCap) {
        // Past the hard cap: stop reading and drop the connection.
        finish();
        req.destroy();
      }
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    const onClose = () => finish(new Error("The client closed the request before its body was complete."));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("close", onClose);
  });
}
