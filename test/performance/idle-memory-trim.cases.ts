// server.trimMemoryWhenIdle: the schedule (pure), the V8 behaviour it relies on (a real `gc` of each kind),
// and the young generation of a real process shrinking once it goes quiet.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import { IdleTrimSchedule, exposeGc, trimMemoryWhenIdle, type TrimStep } from "../../src/server/idle-memory-trim.js";

const timing = { quietCpuMs: 20, minorAfter: 1, fullAfter: 6 };
const run = (schedule: IdleTrimSchedule, cpuMs: number[]): TrimStep[] => cpuMs.map((ms) => schedule.tick(ms));

describe("idle memory trim: the schedule", () => {
  it("after start-up: a minor GC after one quiet second, a full one after six, then nothing while quiet", () => {
    const steps = run(new IdleTrimSchedule(timing), [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    assert.deepEqual(steps, ["minor", undefined, undefined, undefined, undefined, "full", undefined, undefined, undefined, undefined]);
  });

  it("a busy second starts the count again, and a new busy spell earns one more trim", () => {
    const s = new IdleTrimSchedule(timing);
    assert.deepEqual(run(s, [5, 5, 5, 300, 5, 5, 5, 5, 5, 5]), ["minor", undefined, undefined, undefined, "minor", undefined, undefined, undefined, undefined, "full"]);
    assert.deepEqual(run(s, [5, 5]), [undefined, undefined]);
    assert.deepEqual(run(s, [19, 20, 5, 5, 5, 5, 5, 5]), [undefined, undefined, "minor", undefined, undefined, undefined, undefined, "full"]);
  });

  it("traffic that never stops never sees a forced GC", () => {
    const steps = run(new IdleTrimSchedule(timing), Array.from({ length: 60 }, () => 400));
    assert.ok(steps.every((s) => s === undefined));
  });
});

describe("idle memory trim: V8's gc on this Node", () => {
  const kinds = async (act: () => void): Promise<number[]> => {
    const seen: number[] = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.push((e as unknown as { detail: { kind: number } }).detail.kind);
    });
    obs.observe({ entryTypes: ["gc"] });
    act();
    await new Promise((resolve) => setTimeout(resolve, 50));
    obs.disconnect();
    return seen;
  };

  it("is exposed at run time without the flag on the command line, and not on globalThis", () => {
    assert.equal(typeof exposeGc(), "function");
    assert.equal((globalThis as { gc?: unknown }).gc, undefined);
  });

  // The schedule's "full" step calls gc() with no argument: on V8 11 `{ type: "major" }` is a scavenge.
  it("gc() is a full (mark-compact) collection and gc({ type: 'minor' }) a scavenge", async () => {
    const gc = exposeGc()!;
    assert.deepEqual(await kinds(() => gc()), [constants.NODE_PERFORMANCE_GC_MAJOR]);
    assert.deepEqual(await kinds(() => gc({ type: "minor" })), [constants.NODE_PERFORMANCE_GC_MINOR]);
  });

  it("a full GC after a quiet spell gives back the young generation a burst grew", async () => {
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_size;
    let keep: unknown[] = [];
    for (let i = 0; i < 2_000_000; i++) keep.push({ i }), keep.length > 50_000 && (keep = []);
    keep = [];
    const grown = newSpace();
    assert.ok(grown >= 8 * 2 ** 20, `the burst grew the young generation (${grown} bytes)`);
    const gc = exposeGc()!;
    gc({ type: "minor" });
    // V8 averages the allocation rate over 5 s; the quiet must cover it.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    gc();
    assert.ok(newSpace() <= grown / 4, `young generation ${grown} → ${newSpace()} bytes`);
  });

  it("the watcher stops, and without a gc it does nothing", () => {
    trimMemoryWhenIdle(undefined)();
    let calls = 0;
    const stop = trimMemoryWhenIdle(() => void calls++);
    stop();
    assert.equal(calls, 0);
  });
});
