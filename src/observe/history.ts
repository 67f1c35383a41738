// The call history: the last `server.history.max` finished calls in memory, with their decoded request and
// response when `server.history.bodies` is on (the default when the server listens on loopback only), so a
// test can assert on exactly what its code sent and got. DELETE /_basalt/calls clears it (never the ledger).
import type { CallRecord } from "../core/call-record.js";
import type { CallObserver } from "./call-observer.js";
import { matchesFilter, type CallFilter } from "./call-filter.js";
import { recordToView, type CallView } from "./call-view.js";
import { arrivalUs, nowUs } from "./call-order.js";
import { decodeRequestBody, decodeResponseBody } from "./decode-bodies.js";

/** Bytes of kept bodies the ring holds at most; past it the oldest calls lose their bodies (not their record). */
export const HISTORY_BODY_BYTES = 64 * 1024 * 1024;

function bodyBytes(r: Readonly<CallRecord>): number {
  const request = r.requestBody instanceof Uint8Array ? r.requestBody.byteLength : 0;
  const response = (r.responseBody as { body?: unknown } | undefined)?.body;
  return request + (response instanceof Uint8Array ? response.byteLength : 0);
}

interface HistoryEntry {
  readonly record: Readonly<CallRecord>;
  readonly endedAtMs: number;
  readonly bytes: number;
  /** Arrival in µs: the list's order. */
  readonly seq: number;
}

export class CallHistory implements CallObserver {
  readonly name = "history";
  // A Map keeps insertion order, so the first key is the oldest call: a ring with O(1) lookup by id.
  private readonly entries = new Map<string, HistoryEntry>();
  private clearedAt: { ms: number; seq: number } | undefined;
  /** Bytes of kept bodies in the ring. */
  private bytes = 0;

  constructor(
    readonly options: { bodies: boolean; max: number },
    private readonly now: () => number = Date.now,
    private readonly bodyBudget: number = HISTORY_BODY_BYTES,
  ) {}

  observe(record: Readonly<CallRecord>): void {
    this.forget(record.requestId);
    const bytes = this.options.bodies ? bodyBytes(record) : 0;
    this.entries.set(record.requestId, { record, endedAtMs: this.now(), seq: arrivalUs(record), bytes });
    this.bytes += bytes;
    if (this.entries.size > this.options.max) this.forget(this.entries.keys().next().value!);
    if (this.bytes > this.bodyBudget) this.shedBodies();
  }

  private forget(requestId: string): void {
    const e = this.entries.get(requestId);
    if (!e) return;
    this.bytes -= e.bytes;
    this.entries.delete(requestId);
  }

  /** Oldest first, calls keep their record and lose their bodies until the ring is within its budget. */
  private shedBodies(): void {
    for (const [id, e] of this.entries) {
      if (this.bytes <= this.bodyBudget) return;
      if (e.bytes === 0) continue;
      this.entries.set(id, { ...e, record: { ...e.record, requestBody: undefined, responseBody: undefined }, bytes: 0 });
      this.bytes -= e.bytes;
    }
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
    this.bytes = 0;
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
