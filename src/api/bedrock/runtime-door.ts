// The Bedrock Runtime front door. Routes come from the service model (routes.generated.ts); operations are
// looked up by their AWS name in one table, and one not plugged in answers as Bedrock answers a path it does
// not know (404 UnknownOperationException). For a model-bound operation the door reads the body, resolves
// the model, lets the operation check the request, then either relays it (a pass-through model: the one
// place the relay branch lives) or lets the operation serve it.
import { validationError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import type { FrontDoor } from "../../server/dispatch.js";
import { checkModelLabel } from "./check-model-label.js";
import { RouteTable } from "../../server/route-table.js";
import { isRequestOperation, type ModelOperation, type RuntimeOperation } from "./operation.js";
import { converse } from "./operations/converse.js";
import { converseStream } from "./operations/converse-stream.js";
import { countTokens } from "./operations/count-tokens.js";
import { invokeModel } from "./operations/invoke-model.js";
import { invokeModelStream } from "./operations/invoke-model-stream.js";
import { relayOperation } from "./relay-response.js";
import { sendError, sendRefusal, unknownRouteError } from "./respond.js";
import { ROUTES, type RuntimeOperationName, type RuntimeRoute } from "./routes.generated.js";

/** The operations Basalt serves today; the others answer 404 until a handler is plugged in by name. */
const BUILT: ReadonlyMap<RuntimeOperationName, RuntimeOperation> = new Map<RuntimeOperationName, RuntimeOperation>([
  ["Converse", converse],
  ["ConverseStream", converseStream],
  ["CountTokens", countTokens],
  ["InvokeModel", invokeModel],
  ["InvokeModelWithResponseStream", invokeModelStream],
]);

interface Bound { route: RuntimeRoute; modelBound: boolean; relayAction: string }

export interface RuntimeDoor extends FrontDoor {
  /** Plugs in (or replaces) the handler of one operation, e.g. `handle("ApplyGuardrail", applyGuardrail)`. */
  handle(name: RuntimeOperationName, operation: RuntimeOperation): void;
}

export interface RuntimeDoorOptions {
  catalog: ModelCatalog;
}

export function createRuntimeDoor(opts: RuntimeDoorOptions): RuntimeDoor {
  const routes = new RouteTable<Bound>(ROUTES.map((route) => ({
    method: route.method,
    path: route.path,
    // The relay action is the route's last segment (`converse`, `invoke-with-response-stream`, …).
    value: { route, modelBound: route.path.includes("{modelId}"), relayAction: route.path.slice(route.path.lastIndexOf("/") + 1) },
  })));
  const handlers = new Map<RuntimeOperationName, RuntimeOperation>(BUILT);

  async function serve(call: IncomingCall): Promise<void> {
    const { req, res } = call;
    try {
      const match = routes.match(req.method ?? "", call.path);
      const handler = match && handlers.get(match.value.route.operation);
      if (!match || !handler) return await unknownOperation(call);
      const { route, modelBound, relayAction } = match.value;
      call.record.operation = route.operation;
      if (!NATIVE_BODY.has(route.operation)) checkJsonContentType(call);
      if (isRequestOperation(handler)) return await handler(call, match.labels);
      if (!modelBound) throw new Error(`${route.operation} has no {modelId} label for a model operation`);
      await serveModelOperation(call, handler, match.labels.modelId, relayAction, route.input);
    } catch (err) {
      sendError(res, err, call.requestId, call.record);
    }
  }

  async function serveModelOperation(
    call: IncomingCall, operation: ModelOperation, modelId: string, relayAction: string, inputShape: string | undefined,
  ): Promise<void> {
    const record = call.record;
    record.requestedModelId = modelId;
    const body = await call.readBody();
    checkModelLabel(inputShape, modelId);
    const served = opts.catalog.resolve(modelId);
    if (!served) throw validationError("The provided model identifier is invalid.");
    record.modelId = served.info.id;
    record.provider = served.info.provider;
    record.upstreamModel = served.info.model ?? served.info.id;
    const opCall = { req: call.req, res: call.res, body, served, ctx: call.contextFor(modelId), shutdown: call.shutdown };
    const checked = operation.check(opCall);
    if (served.model.relay) return relayOperation(opCall, relayAction);
    await operation.serve(opCall, checked);
  }

  return {
    name: "bedrock",
    serve,
    refuse: (call, error) => void sendRefusal(call, error),
    handle(name, operation) {
      handlers.set(name, operation);
    },
  };
}

// Operations whose body is the caller's own bytes, typed by their contentType header member (checked by the
// operation); every other operation's body is restJson1 JSON.
const NATIVE_BODY = new Set<RuntimeOperationName>(["InvokeModel", "InvokeModelWithResponseStream", "InvokeModelWithBidirectionalStream"]);

/** A JSON operation's body must say it is JSON (or say nothing, as a bodiless request may). */
function checkJsonContentType(call: IncomingCall): void {
  const type = call.req.headers["content-type"];
  if (type === undefined || type === "application/json") return;
  const media = type.split(";")[0].trim().toLowerCase();
  if (media !== "application/json") {
    throw validationError(`The content type ${media} isn't supported. Send the body as application/json and try again.`);
  }
}

/** Bedrock's answer to a route it does not serve; the body is drained first so the client can read it. */
export async function unknownOperation(call: IncomingCall): Promise<never> {
  await call.readBody().catch(() => undefined);
  throw unknownRouteError(`No operation matches ${call.req.method} ${call.path}.`);
}
