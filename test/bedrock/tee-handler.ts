// The SDK's own HTTP handlers, with the response body bytes recorded on their way to the SDK's decoder:
// the bytes "the client got", to compare with what an upstream sent.
import { Transform, type Readable } from "node:stream";
import { NodeHttp2Handler, NodeHttpHandler } from "@smithy/node-http-handler";
import type { HttpHandlerOptions } from "@smithy/types";

type Handle = NodeHttpHandler["handle"];

function recordBody(received: Buffer[]) {
  return async (out: Awaited<ReturnType<Handle>>) => {
    const body = out.response.body as Readable;
    const recorder = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        received.push(chunk);
        cb(null, chunk);
      },
    });
    body.on("error", (err) => recorder.destroy(err));
    out.response.body = body.pipe(recorder);
    return out;
  };
}

export class TeeHttpHandler extends NodeHttpHandler {
  readonly received: Buffer[] = [];
  override handle(request: Parameters<Handle>[0], options?: HttpHandlerOptions): ReturnType<Handle> {
    return super.handle(request, options).then(recordBody(this.received));
  }
}

export class TeeHttp2Handler extends NodeHttp2Handler {
  readonly received: Buffer[] = [];
  override handle(request: Parameters<Handle>[0], options?: HttpHandlerOptions): ReturnType<Handle> {
    return super.handle(request, options).then(recordBody(this.received));
  }
}
