// The Bedrock control-plane front door (ListFoundationModels, GetInferenceProfile, …): routes from
// spec/bedrock.service-2.json, one handler per operation name. Until a handler is plugged in, an operation
// answers 404 UnknownOperationException naming it. Same protocol as the runtime (restJson1), same errors.
import { BedrockError } from "../../core/errors.js";
import type { IncomingCall } from "../../server/call-context.js";
import type { FrontDoor } from "../../server/dispatch.js";
import { RouteTable } from "../../server/route-table.js";
import { sendError, sendRefusal } from "../bedrock/respond.js";
import { ROUTES, type ControlPlaneOperationName, type ControlPlaneRoute } from "./routes.generated.js";

/** Answers one control-plane operation; `labels` are the decoded path labels (`modelIdentifier`, …). */
export type ControlPlaneHandler = (call: IncomingCall, labels: Readonly<Record<string, string>>) => Promise<void>;

export interface ControlPlaneDoor extends FrontDoor {
  /** Plugs in (or replaces) one operation, e.g. `handle("ListFoundationModels", listFoundationModels)`. */
  handle(name: ControlPlaneOperationName, handler: ControlPlaneHandler): void;
}

export function createControlPlaneDoor(): ControlPlaneDoor {
  const routes = new RouteTable<ControlPlaneRoute>(ROUTES.map((route) => ({ method: route.method, path: route.path, value: route })));
  const handlers = new Map<ControlPlaneOperationName, ControlPlaneHandler>();

  return {
    name: "control-plane",
    claims: (method, path) => routes.match(method, path) !== undefined,
    async serve(call) {
      try {
        const match = routes.match(call.req.method ?? "", call.path);
        if (!match) throw new Error(`control plane dispatched a path it does not claim: ${call.path}`);
        const name = match.value.operation;
        call.record.operation = name;
        const handler = handlers.get(name);
        if (!handler) {
          await call.readBody().catch(() => undefined);
          throw new BedrockError("UnknownOperationException", `Basalt does not serve the control-plane operation ${name}.`);
        }
        await handler(call, match.labels);
      } catch (err) {
        sendError(call.res, err, call.requestId, call.record);
      }
    },
    refuse: (call, error) => void sendRefusal(call, error),
    handle(name, handler) {
      handlers.set(name, handler);
    },
  };
}
