// The observability admin routes, for the dispatcher's admin table: usage, call history, metrics, console,
// the served models.
import type { ConsoleModel } from "../../console/console-page.js";
import type { ObserveStack } from "../../observe/observe-stack.js";
import type { AdminRoute } from "./admin-route.js";
import { callsRoutes } from "./calls-route.js";
import { consoleRoutes } from "./console-route.js";
import { metricsRoute } from "./metrics-route.js";
import { modelsRoute } from "./models-route.js";
import { usageRoute } from "./usage-route.js";

export function observeAdminRoutes(opts: {
  stack: ObserveStack;
  listModels: () => readonly ConsoleModel[];
  version: string;
}): AdminRoute[] {
  return [
    usageRoute(opts.stack),
    ...callsRoutes(opts.stack),
    metricsRoute(opts.stack),
    ...consoleRoutes({ listModels: opts.listModels, version: opts.version }),
    modelsRoute(opts.listModels),
  ];
}
