// GET /_basalt/usage?from=&to=&groupBy=model|caller|operation|day[,…]&model=&caller=&operation=&format=csv
// Totals per group from the ledger. groupBy also takes hour and minute, and several dimensions joined by
// commas (the console's charts ask for `minute,model`).
import type { ObserveStack } from "../../observe/observe-stack.js";
import { queryUsage, usageToCsv, USAGE_DIMENSIONS, type UsageDimension } from "../../observe/ledger/usage-query.js";
import { AdminQueryError, answer, sendAdminJson, sendAdminText, type AdminRoute } from "./admin-route.js";
import { onlyParams, stringParam, timeParam } from "./query-params.js";

const PARAMS = ["from", "to", "groupBy", "model", "caller", "operation", "format"];

function parseGroupBy(raw: string | undefined): UsageDimension[] {
  const dims = (raw ?? "model").split(",").map((d) => d.trim());
  for (const d of dims) {
    if (!(USAGE_DIMENSIONS as readonly string[]).includes(d)) {
      throw new AdminQueryError(`groupBy: unknown dimension "${d}"; use ${USAGE_DIMENSIONS.join(", ")} (comma-separated for several)`);
    }
  }
  if (new Set(dims).size !== dims.length) throw new AdminQueryError(`groupBy: a dimension is listed twice: ${raw}`);
  return dims as UsageDimension[];
}

export function usageRoute(stack: ObserveStack): AdminRoute {
  return {
    method: "GET",
    path: "/_basalt/usage",
    handle: ({ res }, url) =>
      answer(res, async () => {
        onlyParams(url, PARAMS);
        const groupBy = parseGroupBy(stringParam(url, "groupBy"));
        const format = stringParam(url, "format") ?? "json";
        if (format !== "json" && format !== "csv") throw new AdminQueryError(`format: use json or csv: ${format}`);
        const query = {
          groupBy,
          fromMs: timeParam(url, "from"),
          toMs: timeParam(url, "to"),
          model: stringParam(url, "model"),
          caller: stringParam(url, "caller"),
          operation: stringParam(url, "operation"),
        };
        if (!stack.ledger || !stack.db) {
          throw new AdminQueryError("The ledger is off (server.ledger.enabled: false), so there is no usage to report.");
        }
        // Read-your-writes: calls this node finished a moment ago are still in the write batch.
        await stack.ledger.flush();
        const rows = await queryUsage(stack.db, query);
        if (format === "csv") sendAdminText(res, 200, "text/csv; charset=utf-8", usageToCsv(rows, groupBy));
        else sendAdminJson(res, 200, rows);
      }),
  };
}
