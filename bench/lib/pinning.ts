// Core pinning for the on/off ratio scenarios, which compare two Basalt processes under the same load.
// Unpinned, the scheduler moves the server and the load generator across this machine's cores and one
// round's server CPU per request can differ from the next by ±20 %, more than the effect measured. Pinned
// (servers on the last core, load generators on the others) rounds agree within a few per cent. Off with
// BENCH_PIN=0, on one core, or without taskset (util-linux).
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";

const cores = cpus().length;
const available = process.env.BENCH_PIN !== "0" && cores >= 2 && spawnSync("taskset", ["--version"]).status === 0;

export type PinRole = "server" | "load";

/** `command args` run under taskset on the role's cores, or unchanged when pinning is off. */
export function pinned(role: PinRole | undefined, command: string, args: string[]): [string, string[]] {
  if (!role || !available) return [command, args];
  const list = role === "server" ? String(cores - 1) : `0-${cores - 2}`;
  return ["taskset", ["-c", list, command, ...args]];
}

/** Said in the report: whether the ratio scenarios ran pinned. */
export const PINNING = available ? `servers pinned to core ${cores - 1}, load generators to cores 0-${cores - 2}` : "not pinned";
