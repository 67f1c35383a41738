// Breaks a response on the wire so the client sees a failure rather than an answer that looks complete
// (a test double's `cutAfterEvents`, core/stream-cut.ts). What was written reaches the client first: over
// HTTP/2 the stream is then reset with an error code (RST_STREAM INTERNAL_ERROR) and the connection lives
// on; over HTTP/1.1 the connection is closed before the terminating chunk of the chunked body.
import { constants, type Http2ServerResponse } from "node:http2";
import type { CallRecord } from "../core/call-record.js";
import type { Response } from "./http-types.js";

export function breakResponse(res: Response, record: CallRecord): void {
  record.errorName = "ConnectionCut";
  record.errorMessage = "The response was cut on purpose (a test-double script's cutAfterEvents).";
  if (res.destroyed) return;
  const h2 = (res as unknown as Http2ServerResponse).stream;
  if (h2) {
    const reset = () => h2.close(constants.NGHTTP2_INTERNAL_ERROR);
    if (!res.headersSent) return reset();
    // The empty write's callback runs once everything queued before it is with the session; Node sends a
    // stream's pending DATA before the RST_STREAM it submits.
    res.write("", reset);
    return;
  }
  const socket = res.socket;
  if (!socket) return;
  // end() flushes what is buffered, then closes our side; the client reads a chunked body that never ends.
  socket.end();
  socket.once("finish", () => socket.destroy());
}
