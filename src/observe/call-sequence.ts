// The order in which calls finished: microseconds since the epoch, bumped by one when two calls end in the
// same microsecond, so it is unique and increasing on a node, roughly comparable across nodes sharing a ledger,
// and still increasing after a restart. /_basalt/calls sorts by it, and a history clear is a point in it (a
// clock in milliseconds could not tell a call that ended just before the clear from one just after).
export class CallSequence {
  private last = 0;
  constructor(private readonly nowMs: () => number = Date.now) {}

  next(): number {
    this.last = Math.max(this.last + 1, Math.floor(this.nowMs() * 1000));
    return this.last;
  }
}
