// ListAsyncInvokes — GET /async-invoke (DIGEST §10.5). Some clients send `GET /async-invoke?maxResults=1` as
// a credentials probe: it is an ordinary list and answers 200 even with no jobs at all.
import type { ListAsyncInvokesRequest } from "../../../core/shapes.generated.js";
import type { AsyncInvokeService } from "../../../jobs/async-invoke-service.js";
import type { RequestOperation } from "../operation.js";
import { sendJson } from "../respond.js";
import { checkLabels, integerParam, queryOf } from "./check-params.js";

export function listAsyncInvokes(service: AsyncInvokeService): RequestOperation {
  return async (call) => {
    await call.readBody();
    const q = queryOf(call.req.url);
    const maxResults = integerParam(q, "maxResults");
    checkLabels({
      maxResults: ["MaxResults", maxResults],
      nextToken: ["PaginationToken", q.get("nextToken") ?? undefined],
      statusEquals: ["AsyncInvokeStatus", q.get("statusEquals") ?? undefined],
      sortBy: ["SortAsyncInvocationBy", q.get("sortBy") ?? undefined],
      sortOrder: ["SortOrder", q.get("sortOrder") ?? undefined],
    });
    const input: ListAsyncInvokesRequest = {
      maxResults,
      nextToken: q.get("nextToken") ?? undefined,
      statusEquals: (q.get("statusEquals") ?? undefined) as ListAsyncInvokesRequest["statusEquals"],
      submitTimeAfter: q.get("submitTimeAfter") ?? undefined,
      submitTimeBefore: q.get("submitTimeBefore") ?? undefined,
      sortBy: (q.get("sortBy") ?? undefined) as ListAsyncInvokesRequest["sortBy"],
      sortOrder: (q.get("sortOrder") ?? undefined) as ListAsyncInvokesRequest["sortOrder"],
    };
    const answer = await service.list(input);
    sendJson(call.res, 200, JSON.stringify(answer), { "x-amzn-requestid": call.requestId });
  };
}
