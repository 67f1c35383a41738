// GET /_basalt/console: the web console (src/console/), a static shell served without the admin key; and
// GET /_basalt/console/models: the served models and their providers, for its tables and playground.
import { renderConsolePage, type ConsoleModel } from "../../console/console-page.js";
import { sendAdminJson, sendAdminText, type AdminRoute } from "./admin-route.js";

export function consoleRoutes(opts: { listModels: () => readonly ConsoleModel[]; version: string }): AdminRoute[] {
  const html = renderConsolePage({ version: opts.version });
  return [consolePage(html), {
    method: "GET",
    path: "/_basalt/console/models",
    async handle({ res }) {
      sendAdminJson(res, 200, opts.listModels());
    },
  }];
}

function consolePage(html: string): AdminRoute {
  return {
    method: "GET",
    path: "/_basalt/console",
    async handle({ res }) {
      res.setHeader("content-security-policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:");
      res.setHeader("x-content-type-options", "nosniff");
      sendAdminText(res, 200, "text/html; charset=utf-8", html);
    },
  };
}
