// Process-level helpers for the operator tests: is a port free, is a process (found by a unique argument) gone.
import { createServer } from "node:net";
import { readdirSync, readFileSync } from "node:fs";

/** True when nothing listens on the port any more (we can bind it ourselves). */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** Pids of live processes whose command line contains `marker` (Linux /proc; zombies excluded). */
export function pidsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const state = /\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, "utf8"))?.[1];
      if (cmdline.includes(marker) && state !== "Z") pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/** Polls `check` until it holds or `ms` pass; returns the time it took, or undefined if it never held. */
export async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<number | undefined> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) return undefined;
    await new Promise((r) => setTimeout(r, 25));
  }
}
