// GET /metrics: the Prometheus text exposition (404 when server.metrics.enabled is false).
import type { ObserveStack } from "../../observe/observe-stack.js";
import { answer, sendAdminJson, sendAdminText, type AdminRoute } from "./admin-route.js";

export function metricsRoute(stack: ObserveStack): AdminRoute {
  return {
    method: "GET",
    path: "/metrics",
    handle: ({ res }) =>
      answer(res, async () => {
        if (!stack.metrics) return sendAdminJson(res, 404, { message: "Metrics are off (server.metrics.enabled: false)." });
        const { contentType, body } = await stack.metrics.exposition();
        sendAdminText(res, 200, contentType, body);
      }),
  };
}
