// The shape of a scenario's results, and the markdown/JSON report written to bench/results/.
import { cpus, totalmem, release } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type Cell = string | number;
export interface Table { caption: string; columns: string[]; rows: Cell[][] }
export interface Target { name: string; target: string; measured: string; met: boolean }
export interface ScenarioResult {
  id: string;
  title: string;
  tables: Table[];
  targets: Target[];
  notes: string[];
  /** Set when the scenario could not run (a missing tool), with what to do about it. */
  skipped?: string;
}

export interface Report {
  date: string;
  quick: boolean;
  command: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; kernel: string };
  scenarios: ScenarioResult[];
}

export function machine(): Report["machine"] {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
  };
}

const fmt = (c: Cell) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(c >= 100 ? 0 : 2)) : c);

export function toMarkdown(r: Report): string {
  const lines = [
    `# Basalt benchmark results${r.quick ? " (quick run: harness check, numbers are not meaningful)" : ""}`,
    "",
    `- Date: ${r.date}`,
    `- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel}, Node ${r.machine.node}`,
    `- Command: \`${r.command}\``,
    "- Every server is its own process on loopback; load comes from another process; contenders run alternately",
    "  within each scenario, and figures are medians over the rounds. Ratios matter more than absolute numbers",
    "  on a shared machine.",
    "",
  ];
  for (const s of r.scenarios) {
    lines.push(`## ${s.title}`, "");
    if (s.skipped) {
      lines.push(`Skipped: ${s.skipped}`, "");
      continue;
    }
    for (const t of s.tables) {
      lines.push(`${t.caption}`, "", `| ${t.columns.join(" | ")} |`, `|${t.columns.map(() => " --- ").join("|")}|`);
      for (const row of t.rows) lines.push(`| ${row.map(fmt).join(" | ")} |`);
      lines.push("");
    }
    if (s.targets.length) {
      lines.push("| Target | Aim | Measured | Met |", "| --- | --- | --- | --- |");
      for (const t of s.targets) lines.push(`| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? "yes" : "**no**"} |`);
      lines.push("");
    }
    for (const n of s.notes) lines.push(`- ${n}`);
    if (s.notes.length) lines.push("");
  }
  return lines.join("\n");
}

export function writeReport(dir: string, base: string, r: Report): string[] {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, `${base}.md`);
  const json = join(dir, `${base}.json`);
  writeFileSync(md, toMarkdown(r));
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  return [md, json];
}
