// Letting go of a request whose body will not be read to its end (refused for its size, stalled): the
// answer goes out first, then the transport is told. Over HTTP/2 the stream is reset once the answer is
// complete, which frees the client's queued data and keeps its session healthy. RFC 9113 §8.1 suggests
// NO_ERROR for this, but Node's client then waits for its own unsent body forever (it destroys a stream
// reset with NO_ERROR only once its writable side has finished), so the code is CANCEL: every client lets
// go at once, having read the answer when it was ready to. Over HTTP/1.1 the connection closes after the
// answer, since the unread rest of the body would otherwise be read as the next request.
import { constants, type Http2ServerResponse } from "node:http2";
import type { Response } from "./http-types.js";

export function isHttp2(res: Response): boolean {
  return (res as unknown as Partial<Http2ServerResponse>).stream !== undefined;
}

export function resetAfterAnswer(res: Response): void {
  const stream = (res as unknown as Http2ServerResponse).stream;
  const reset = () => {
    // A body that did arrive in full needs no reset.
    if (res.req.complete) return;
    if (!stream.destroyed && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
  };
  // The stream's own writable side: the compatibility response's 'finish' waits for the stream to close,
  // which is what this is for. Node submits the RST_STREAM after the answer's queued DATA.
  if (stream.writableFinished) return reset();
  stream.once("finish", reset);
}

export function closeAfterAnswer(res: Response): void {
  // Before the head is written this makes Node send `Connection: close` and end the socket after the answer.
  if (!res.headersSent) res.shouldKeepAlive = false;
  else res.once("finish", () => res.socket?.destroy());
}
