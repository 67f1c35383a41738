// What runs a bidirectional session once its stream is open: the operation hands it each input chunk's
// bytes in order and tells it when input is over; it writes output on its own. Two kinds: a session Basalt
// serves itself (nova-sonic/, through the Converse core) and one relayed to a Bedrock upstream (relay/).
export interface SessionProtocol {
  /** One input chunk's bytes; a protocol error is thrown (it ends the session with its exception). */
  input(bytes: Uint8Array): Promise<void>;
  /** True once the client has ended the session in-band (Nova Sonic's sessionEnd): input is not read further. */
  readonly ended: boolean;
  /** Input is over: resolves when everything still owed to the client has been written. */
  finish(): Promise<void>;
  /** The session is torn down (limits, shutdown, an error, the client gone): stop work in flight at once. */
  abort(): void;
}

/** What a protocol writes with and reports to. */
export interface SessionOutput {
  /** Writes one output chunk (its bytes are the model protocol's event); resolves when more may be written. */
  send(bytes: Uint8Array): Promise<void>;
  /** Ends the session with this error's exception event. */
  fail(error: unknown): void;
  /** Token totals so far, for the call record. */
  usage(inputTokens: number, outputTokens: number): void;
}
