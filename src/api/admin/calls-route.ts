// GET /_basalt/calls?model=&operation=&caller=&status=&limit=&since= — the newest calls first, each with its
// decoded request and response while it is in the history ring (server.history.bodies). DELETE clears the
// history: the list then starts after the clear, while the ledger (and /_basalt/usage) keeps every call.
import type { ObserveStack } from "../../observe/observe-stack.js";
import { DEFAULT_CALLS_LIMIT, MAX_CALLS_LIMIT, type CallFilter } from "../../observe/call-filter.js";
import type { CallView } from "../../observe/call-view.js";
import { queryCalls } from "../../observe/ledger/calls-query.js";
import { answer, sendAdminJson, type AdminRoute } from "./admin-route.js";
import { intParam, onlyParams, stringParam, timeParam } from "./query-params.js";

const PARAMS = ["model", "operation", "caller", "status", "limit", "since"];

function parseFilter(url: URL, fromSeq: number | undefined): CallFilter {
  onlyParams(url, PARAMS);
  return {
    model: stringParam(url, "model"),
    operation: stringParam(url, "operation"),
    caller: stringParam(url, "caller"),
    status: stringParam(url, "status"),
    limit: intParam(url, "limit", 1, MAX_CALLS_LIMIT) ?? DEFAULT_CALLS_LIMIT,
    endedSinceMs: timeParam(url, "since"),
    fromSeq,
  };
}

export async function listCalls(stack: ObserveStack, filter: CallFilter): Promise<CallView[]> {
  if (!stack.ledger || !stack.db) return stack.history.list(filter);
  await stack.ledger.flush();
  const views = await queryCalls(stack.db, filter);
  for (const v of views) {
    const bodies = stack.history.bodiesOf(v.requestId);
    if (bodies?.request !== undefined) v.request = bodies.request;
    if (bodies?.response !== undefined) v.response = bodies.response;
  }
  return views;
}

export function callsRoutes(stack: ObserveStack): AdminRoute[] {
  return [
    {
      method: "GET",
      path: "/_basalt/calls",
      handle: ({ res }, url) =>
        answer(res, async () => {
          const filter = parseFilter(url, stack.history.lastClear?.seq);
          sendAdminJson(res, 200, await listCalls(stack, filter));
        }),
    },
    {
      method: "DELETE",
      path: "/_basalt/calls",
      handle: ({ res }) =>
        answer(res, async () => {
          const cleared = stack.history.size;
          const at = stack.history.clear();
          sendAdminJson(res, 200, { cleared, clearedAt: new Date(at.ms).toISOString() });
        }),
    },
  ];
}
