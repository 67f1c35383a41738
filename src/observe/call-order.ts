// The order of /_basalt/calls: newest first by arrival, in microseconds since the epoch. A client making calls
// one after another sees them listed in the order it made them (the order calls *finish* in can differ: a
// response's close event may come after the next call has ended). The same clock marks a history clear.
import type { CallRecord } from "../core/call-record.js";

/** Now, in µs since the epoch (sub-millisecond, from the monotonic clock). */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** A call's arrival in µs (records made without `arrivalUs` fall back to their millisecond start). */
export function arrivalUs(r: Readonly<CallRecord>): number {
  return r.arrivalUs ?? r.startedAtMs * 1000;
}
