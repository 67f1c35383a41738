// listenForCancel and cancellationOf: a listener hears a cancellation once — from an AbortSignal (at once when
// it has already fired, with its reason) or from a context that tells without a signal — and hears nothing
// after it stopped listening; a context with onCancel is asked directly, and its signal is never made.
import assert from "node:assert/strict";
import { test } from "node:test";
import { listenForCancel, type OnCancel } from "../../src/core/cancellation.js";
import { CallContextOf, cancellationOf } from "../../src/core/model.js";
import { ANONYMOUS } from "../../src/core/caller.js";
import { newCallRecord } from "../../src/core/call-record.js";

test("listenForCancel hears an AbortSignal once, with its reason, and not after it stopped listening", () => {
  const heard: unknown[] = [];
  const controller = new AbortController();
  listenForCancel(controller.signal, (reason) => heard.push(reason));
  const other = new AbortController();
  const stop = listenForCancel(other.signal, (reason) => heard.push(["other", reason]));
  stop();
  controller.abort("gone");
  controller.abort("again");
  other.abort("ignored");
  assert.deepEqual(heard, ["gone"]);
  const late: unknown[] = [];
  listenForCancel(controller.signal, (reason) => late.push(reason));
  assert.deepEqual(late, ["gone"], "an already aborted signal is heard at once");
});

/** A source that tells its listeners itself, and says whether its signal was ever read. */
function teller() {
  const listeners = new Set<(reason: unknown) => void>();
  let signalRead = false;
  const source = {
    get signal(): AbortSignal {
      signalRead = true;
      return new AbortController().signal;
    },
    onCancel: ((listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }) as OnCancel,
  };
  return { source, cancel: (reason: unknown) => [...listeners].forEach((l) => l(reason)), signalRead: () => signalRead, listeners };
}

test("a context that tells without a signal is heard through onCancel, and its signal is never made", () => {
  const t = teller();
  const ctx = new CallContextOf("basalt.echo", "req-1", 0n, ANONYMOUS, newCallRecord({ requestId: "req-1", frontDoor: "bedrock" }), t.source);
  const heard: unknown[] = [];
  const stop = listenForCancel(cancellationOf(ctx), (reason) => heard.push(reason));
  assert.equal(t.listeners.size, 1);
  t.cancel("client left");
  assert.deepEqual(heard, ["client left"]);
  stop();
  assert.equal(t.listeners.size, 0, "stopping removes the listener");
  assert.equal(t.signalRead(), false, "the signal was never asked for");
});

test("cancellationOf falls back to the signal of a context without onCancel (a spread copy, a job's literal)", () => {
  const controller = new AbortController();
  const ctx = { signal: controller.signal };
  assert.equal(cancellationOf(ctx), controller.signal);
  const viaOf = new CallContextOf("m", "r", 0n, ANONYMOUS, newCallRecord({ requestId: "r", frontDoor: "bedrock" }), ctx);
  const heard: unknown[] = [];
  listenForCancel(cancellationOf(viaOf), (reason) => heard.push(reason));
  controller.abort("stop");
  assert.deepEqual(heard, ["stop"]);
});

test("CancelListeners: each listener told once with the reason, none after it stopped, a late one at once", async () => {
  const { CancelListeners } = await import("../../src/core/cancellation.js");
  const cancel = new CancelListeners();
  const heard: string[] = [];
  const reasonNow = () => cancel.cancelled?.reason;
  cancel.listen((reason) => heard.push(`a:${String(reason)}`));
  const stop = cancel.listen((reason) => heard.push(`b:${String(reason)}`));
  stop();
  assert.equal(reasonNow(), undefined);
  cancel.cancel("gone");
  cancel.cancel("again");
  assert.equal(heard.join(" "), "a:gone");
  assert.equal(reasonNow(), "gone");
  cancel.listen((reason) => heard.push(`late:${String(reason)}`));
  assert.equal(heard.join(" "), "a:gone late:gone");
});
