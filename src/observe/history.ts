// The call history: the last `server.history.max` finished calls in memory, with their decoded request and
// response when `server.history.bodies` is on (the default when the server listens on loopback only), so a
// test can assert on exactly what its code sent and got. DELETE /_basalt/calls clears it (never the ledger).
import type { CallRecord } from "../core/call-record.js";
import type { CallObserver } from "./call-observer.js";
import { matchesFilter, type CallFilter } from "./call-filter.js";
import { recordToView, type CallView } from "./call-view.js";
import { arrivalUs, nowUs } from "./call-order.js";
import { decodeRequestBody, decodeResponseBody } from "./decode-bodies.js";

interface HistoryEntry {
  readonly record: Readonly<CallRecord>;
  readonly endedAtMs: number;
  /** Arrival in µs: the list's order. */
  readonly seq: number;
}

export class CallHistory implements CallObserver {
  readonly name = "history";
  // A Map keeps insertion order, so the first key is the oldest call: a ring with O(1) lookup by id.
  private readonly entries = new Map<string, HistoryEntry>();
  private clearedAt: { ms: number; seq: number } | undefined;

  constructor(
    readonly options: { bodies: boolean; max: number },
    private readonly now: () => number = Date.now,
  ) {}

  observe(record: Readonly<CallRecord>): void {
    this.entries.delete(record.requestId);
    this.entries.set(record.requestId, { record, endedAtMs: this.now(), seq: arrivalUs(record) });
    if (this.entries.size > this.options.max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Newest first (by arrival). */
  list(filter: CallFilter): CallView[] {
    const out: CallView[] = [];
    // Reversed first, so calls that arrived in the same microsecond keep newest-observed first (sort is stable).
    const all = [...this.entries.values()].reverse().sort((a, b) => b.seq - a.seq);
    for (const e of all) {
      if (out.length >= filter.limit) break;
      if (matchesFilter(e.record, e.endedAtMs, e.seq, filter)) out.push(this.view(e));
    }
    return out;
  }

  /** The decoded request and response of a call still in the ring (bodies on). */
  bodiesOf(requestId: string): { request?: unknown; response?: unknown } | undefined {
    if (!this.options.bodies) return undefined;
    const e = this.entries.get(requestId);
    if (!e) return undefined;
    return { request: decodeRequestBody(e.record.requestBody), response: decodeResponseBody(e.record.responseBody) };
  }

  /** Empties the ring; /_basalt/calls then lists (ledger) calls that finished after this point only. */
  clear(): { ms: number; seq: number } {
    this.entries.clear();
    this.clearedAt = { ms: this.now(), seq: nowUs() };
    return this.clearedAt;
  }

  /** The last clear, if any: its time, and in µs (calls that arrived since are listed). */
  get lastClear(): { ms: number; seq: number } | undefined {
    return this.clearedAt;
  }

  get size(): number {
    return this.entries.size;
  }

  private view(e: HistoryEntry): CallView {
    const v = recordToView(e.record, e.endedAtMs);
    if (this.options.bodies) {
      const request = decodeRequestBody(e.record.requestBody);
      const response = decodeResponseBody(e.record.responseBody);
      if (request !== undefined) v.request = request;
      if (response !== undefined) v.response = response;
    }
    return v;
  }
}
