// Gives memory back once the process goes quiet after work (`server.trimMemoryWhenIdle`, on by default).
// V8 keeps its young generation at the size the busiest moment grew it to (32 MB on Node 20) and old-space
// pages a burst filled, until a garbage collection sees a low allocation rate — and an idle server allocates
// too little to ever run one. Measured (docs/performance.md, round 9): 30 s after 1,000 streams ended, RSS
// stayed 80 % above idle without this; with it, within 20 %.
//
// When the process has used almost no CPU for a second after being busy, this runs a minor GC: it closes
// V8's allocation-rate window on the burst. Once the quiet has lasted past that window (5 s), a full GC:
// at it V8 sees the low rate and shrinks the young generation, and its memory reducer, armed by that full
// GC, compacts old space some seconds later. Nothing runs on the request path: a 1 s timer reads the
// process's CPU time. Once per busy spell; traffic that never stops never sees a forced GC.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** V8's `gc` (Node 20): no argument is a full GC; `{ type: "minor" }` a scavenge. */
export type Gc = (options?: { type: "minor" }) => void;

/** What to do at the end of a one-second tick. */
export type TrimStep = "minor" | "full" | undefined;

/** When a second counts as quiet, and how many quiet seconds lead to each GC. */
export interface TrimTiming {
  readonly quietCpuMs: number;
  readonly minorAfter: number;
  readonly fullAfter: number;
}

// A second with less than 2 % of a core used is quiet; V8 averages the allocation rate over the last 5 s.
export const TRIM_TIMING: TrimTiming = { quietCpuMs: 20, minorAfter: 1, fullAfter: 6 };

/** Counts quiet seconds and says when to collect; pure, so the schedule is testable without a heap. */
export class IdleTrimSchedule {
  private quietSeconds = 0;
  // Start-up is a busy spell too: its allocations grew the young generation.
  private busySinceTrim = true;

  constructor(private readonly timing: TrimTiming = TRIM_TIMING) {}

  /** One second passed, in which the process used `cpuMs` of CPU time. */
  tick(cpuMs: number): TrimStep {
    if (cpuMs >= this.timing.quietCpuMs) {
      this.quietSeconds = 0;
      this.busySinceTrim = true;
      return undefined;
    }
    if (!this.busySinceTrim) return undefined;
    this.quietSeconds += 1;
    if (this.quietSeconds === this.timing.minorAfter) return "minor";
    if (this.quietSeconds < this.timing.fullAfter) return undefined;
    this.busySinceTrim = false;
    return "full";
  }
}

/** Starts the one-second watcher; the returned function stops it. Without a usable `gc`, does nothing. */
export function trimMemoryWhenIdle(gc: Gc | undefined = exposeGc()): () => void {
  if (!gc) return () => undefined;
  const schedule = new IdleTrimSchedule();
  let last = process.cpuUsage();
  const timer = setInterval(() => {
    const now = process.cpuUsage(last);
    const step = schedule.tick((now.user + now.system) / 1000);
    if (step === "minor") gc({ type: "minor" });
    else if (step === "full") gc();
    // The collection's own CPU time is not work: the next second starts after it.
    last = process.cpuUsage();
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * V8's `gc` function. `--expose-gc` set at run time puts `gc` only in contexts made afterwards (not on this
 * one's globalThis); the function collects the whole heap all the same.
 */
export function exposeGc(): Gc | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}
