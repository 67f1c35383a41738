// Basalt's own API under /_basalt/ (health, call history, scripts, … as later issues add them). A route is
// registered with `route(method, pattern, handler)`; a path no route matches answers as any unknown path does
// (404 UnknownOperationException).
import type { IncomingCall } from "../../server/call-context.js";
import type { FrontDoor } from "../../server/dispatch.js";
import { RouteTable } from "../../server/route-table.js";
import { unknownOperation } from "../bedrock/runtime-door.js";
import { sendError, sendRefusal } from "../bedrock/respond.js";

/** Answers one admin route; `labels` are the decoded `{label}` segments of its pattern. */
export type AdminHandler = (call: IncomingCall, labels: Readonly<Record<string, string>>) => Promise<void>;

export interface AdminDoor extends FrontDoor {
  /** Adds a route: `route("GET", "/_basalt/calls/{requestId}", handler)`. Patterns start with /_basalt/ (or are /metrics). */
  route(method: string, pattern: string, handler: AdminHandler): void;
}

export function createAdminDoor(): AdminDoor {
  const routes = new RouteTable<AdminHandler>();
  return {
    name: "admin",
    async serve(call) {
      try {
        // HEAD is answered as GET without the body (node:http drops it): load balancers and uptime checks probe
        // /_basalt/health, /metrics and the console that way.
        const method = call.req.method === "HEAD" ? "GET" : call.req.method ?? "";
        const match = routes.match(method, call.path);
        if (!match) return await unknownOperation(call);
        await match.value(call, match.labels);
      } catch (err) {
        sendError(call.res, err, call.requestId, call.record);
      }
    },
    // The console page is a static shell (no data in it): a browser cannot send the admin key on navigation,
    // so the page opens for anyone and its script asks for the key before it fetches anything.
    authentication: { admin: true, openPaths: ["/_basalt/health", "/_basalt/console"] },
    refuse: (call, error) => void sendRefusal(call, error),
    route(method, pattern, handler) {
      if (!pattern.startsWith("/_basalt/") && pattern !== "/metrics") throw new Error(`admin routes live under /_basalt/ (or are /metrics): ${pattern}`);
      routes.add({ method, path: pattern, value: handler });
    },
  };
}
