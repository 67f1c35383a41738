// An error an upstream reported inside a stream, after its 200: an Anthropic `event: error`, a Chat
// Completions chunk carrying `error`. The formats only read it; the provider decides what the client sees
// (an HTTP error while no event was sent yet, a stream exception after).
export class UpstreamStreamError extends Error {
  constructor(
    message: string,
    /** The HTTP status the error stands for, when the upstream said. */
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "UpstreamStreamError";
  }
}
