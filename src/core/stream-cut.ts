// How a model asks for its stream to be broken on the wire rather than ended. A test double that simulates
// a dropped connection throws this from converseStream; the event-stream writer then flushes what was
// produced and breaks the response so the client sees a failure, never a complete-looking stream: over
// HTTP/2 it resets the stream with an error code (RST_STREAM), over HTTP/1.1 it destroys the socket before
// the terminating chunk. Not a BedrockError on purpose: there is no exception frame and no status to send.
export class StreamCut extends Error {
  constructor(readonly afterEvents: number) {
    super(`The stream was cut after ${afterEvents} events.`);
    this.name = "StreamCut";
  }
}

export function isStreamCut(err: unknown): err is StreamCut {
  return err instanceof StreamCut;
}
