// Observers see each finished call record once, after the response has closed. They never change a call,
// never throw into it, and do their I/O off the response path (batching, queues).
import type { CallRecord } from "../core/call-record.js";

export interface CallObserver {
  readonly name: string;
  observe(record: Readonly<CallRecord>): void;
  close?(): Promise<void>;
}
