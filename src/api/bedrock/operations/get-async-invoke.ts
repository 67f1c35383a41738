// GetAsyncInvoke — GET /async-invoke/{invocationArn} (DIGEST §10.4).
import type { AsyncInvokeService } from "../../../jobs/async-invoke-service.js";
import type { RequestOperation } from "../operation.js";
import { sendJson } from "../respond.js";
import { checkLabels } from "./check-params.js";

export function getAsyncInvoke(service: AsyncInvokeService): RequestOperation {
  return async (call, labels) => {
    await call.readBody();
    checkLabels({ invocationArn: ["InvocationArn", labels.invocationArn] });
    const answer = await service.get(labels.invocationArn);
    sendJson(call.res, 200, JSON.stringify(answer), { "x-amzn-requestid": call.requestId });
  };
}
