// The contenders of the round-2 gateway scenarios, all in front of one OpenAI-compatible upstream:
// straight to it, Basalt bare, Basalt with the full policy stack (SigV4 or a Bedrock API key), and Portkey.
// Each contender is a set of client arguments; the clients build (and sign) their requests from them.
import { startBasalt, startBenchServer, startPortkey, type RunOptions } from "./contenders.js";
import { stackConfig } from "./policy-stack.js";
import type { Server } from "./processes.js";

export type Contender = "direct" | "bare" | "full" | "fullBearer" | "portkey";

export const CONTENDER_LABEL: Record<Contender, string> = {
  direct: "upstream directly",
  bare: "Basalt, bare",
  full: "Basalt, full policy stack (SigV4)",
  fullBearer: "Basalt, full policy stack (API key)",
  portkey: "Portkey gateway",
};

export const MODEL = "bench-model";

export interface GatewaySet {
  servers: Server[];
  /** Client arguments (`--url`, `--kind`, …) that reach the upstream through this contender. */
  args(who: Contender): string[];
  pid(who: Contender): number;
  /** Throws when a server has exited: its later figures would be those of a dead process. */
  checkAlive(): void;
}

/** Starts the upstream (with `upstreamArgs`) and the Basalt/Portkey contenders the list names. */
export async function startGateways(name: string, opts: RunOptions, upstreamArgs: string[], who: readonly Contender[]): Promise<GatewaySet> {
  const servers: Server[] = [];
  try {
    const upstream = await startBenchServer(`${name}-upstream`, "openai-upstream.ts", upstreamArgs);
    servers.push(upstream);
    const baseUrl = `${upstream.url}/v1`;
    const started: Partial<Record<Contender, Server>> = { direct: upstream };
    if (who.includes("bare")) started.bare = await startBasalt(`${name}-basalt-bare`, opts, stackConfig("bare", MODEL, baseUrl));
    if (who.includes("full") || who.includes("fullBearer")) {
      started.full = started.fullBearer = await startBasalt(`${name}-basalt-full`, opts, stackConfig("full", MODEL, baseUrl));
    }
    if (who.includes("portkey")) started.portkey = await startPortkey();
    for (const s of new Set(Object.values(started))) if (s !== upstream) servers.push(s);
    const server = (w: Contender) => {
      const s = started[w];
      if (!s) throw new Error(`${w} was not started`);
      return s;
    };
    return {
      servers,
      pid: (w) => server(w).pid,
      checkAlive() {
        for (const s of servers) {
          const { exitCode, signalCode } = s.process;
          if (exitCode !== null || signalCode !== null) throw new Error(`${s.name} exited (${signalCode ?? exitCode}) during the run:\n${s.output().slice(-2000)}`);
        }
      },
      args(w) {
        switch (w) {
          case "direct": return ["--url", baseUrl, "--kind", "chat"];
          case "portkey": return ["--url", `${server(w).url}/v1`, "--kind", "chat", "--portkey-upstream", baseUrl];
          case "bare": return ["--url", server(w).url, "--kind", "converse", "--model", MODEL, "--stack", "bare"];
          case "full": return ["--url", server(w).url, "--kind", "converse", "--model", MODEL, "--stack", "full", "--auth", "sigv4"];
          case "fullBearer": return ["--url", server(w).url, "--kind", "converse", "--model", MODEL, "--stack", "full", "--auth", "bearer"];
        }
      },
    };
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
}

/** Round r's order of the contenders: rotated each round so none always runs first (or last). */
export function rotation<T>(list: readonly T[], round: number): T[] {
  const k = round % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
