// GET /_basalt/console: the web console (src/console/), with the served models embedded.
import { renderConsolePage, type ConsoleModel } from "../../console/console-page.js";
import { sendAdminText, type AdminRoute } from "./admin-route.js";

export function consoleRoute(opts: { listModels: () => readonly ConsoleModel[]; version: string }): AdminRoute {
  return {
    method: "GET",
    path: "/_basalt/console",
    async handle({ res }) {
      const html = renderConsolePage({ models: opts.listModels(), version: opts.version });
      res.setHeader("content-security-policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:");
      res.setHeader("x-content-type-options", "nosniff");
      sendAdminText(res, 200, "text/html; charset=utf-8", html);
    },
  };
}
