// GET /_basalt/models: the served model ids with their provider and upstream model, for scripts (which model
// ids can I call? is mine configured?) without knowing an id first or speaking a control-plane API.
import type { ConsoleModel } from "../../console/console-page.js";
import { sendAdminJson, type AdminRoute } from "./admin-route.js";

export function modelsRoute(listModels: () => readonly ConsoleModel[]): AdminRoute {
  return {
    method: "GET",
    path: "/_basalt/models",
    async handle({ res }) {
      sendAdminJson(res, 200, { models: listModels() });
    },
  };
}
