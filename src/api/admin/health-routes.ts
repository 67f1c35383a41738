// The probes: /_basalt/health (liveness: the process answers; open even with auth, for container health
// checks) and /_basalt/ready (readiness; the admin key when auth is on). Ready answers 503 while the server is
// starting (its upstreams not yet checked once: the first readiness request starts the check and waits a
// moment for it) and from the moment it is told to stop, 200 otherwise — also when an upstream is unreachable
// or Redis is down: the node can still serve (other models, fallbacks, local counters), and taking every node
// out of a load balancer would not bring an upstream back. The body says which upstreams answer, per provider.
import type { AdminDoor } from "./admin-door.js";
import { sendJson } from "../bedrock/respond.js";
import type { ProviderReachability } from "./provider-probe.js";

/** Where the server is in its life: the CLI and app.ts move it on. */
export type Lifecycle = "starting" | "ready" | "draining" | "shutting-down";

export interface ReadinessSources {
  /** The quota counter store: `degraded` while Redis is configured but unreachable. */
  counters(): Promise<{ kind: string; degraded: boolean }>;
  lifecycle(): Lifecycle;
  /** Each configured provider's reachability, and whether all were checked once; absent: not reported. */
  providers?(): Promise<{ checked: boolean; providers: Record<string, ProviderReachability> }>;
  version?: string;
}

export function addHealthRoutes(admin: AdminDoor, sources: ReadinessSources): void {
  admin.route("GET", "/_basalt/health", async (call) => {
    sendJson(call.res, 200, JSON.stringify({ status: "ok" }), { "x-amzn-requestid": call.requestId, "cache-control": "no-store" });
  });
  admin.route("GET", "/_basalt/ready", async (call) => {
    const [counters, upstreams] = await Promise.all([sources.counters(), sources.providers?.()]);
    // Up, but not every upstream checked yet: still starting.
    const stage = sources.lifecycle();
    const lifecycle = stage === "ready" && upstreams && !upstreams.checked ? "starting" : stage;
    const serving = lifecycle === "ready";
    const body = {
      status: !serving ? lifecycle : counters.degraded ? "degraded" : "ready",
      counters: { store: counters.kind, shared: counters.kind === "redis" && !counters.degraded, degraded: counters.degraded },
      ...(upstreams && { providers: upstreams.providers }),
      ...(sources.version && { version: sources.version }),
    };
    sendJson(call.res, serving ? 200 : 503, JSON.stringify(body), { "x-amzn-requestid": call.requestId, "cache-control": "no-store" });
  });
}
