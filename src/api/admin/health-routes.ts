// The probes: /_basalt/health (liveness: the process answers; open even with auth, for container health
// checks) and /_basalt/ready (readiness and what the node runs on; the admin key when auth is on). A Redis
// outage does not make a node unready — it keeps serving on local counters — but ready says so.
import type { AdminDoor } from "./admin-door.js";
import { sendJson } from "../bedrock/respond.js";

export interface ReadinessSources {
  /** The quota counter store: `degraded` while Redis is configured but unreachable. */
  counters(): Promise<{ kind: string; degraded: boolean }>;
}

export function addHealthRoutes(admin: AdminDoor, sources: ReadinessSources): void {
  admin.route("GET", "/_basalt/health", async (call) => {
    sendJson(call.res, 200, JSON.stringify({ status: "ok" }), { "x-amzn-requestid": call.requestId });
  });
  admin.route("GET", "/_basalt/ready", async (call) => {
    const counters = await sources.counters();
    const body = {
      status: counters.degraded ? "degraded" : "ready",
      counters: { store: counters.kind, shared: counters.kind === "redis" && !counters.degraded, degraded: counters.degraded },
    };
    sendJson(call.res, 200, JSON.stringify(body), { "x-amzn-requestid": call.requestId });
  });
}
