// StartAsyncInvoke — POST /async-invoke (DIGEST §10.3): the request checked against the service model, then
// handed to the job engine, which answers with the invocation's ARN and runs it in the background.
import type { StartAsyncInvokeRequest } from "../../../core/shapes.generated.js";
import type { AsyncInvokeService } from "../../../jobs/async-invoke-service.js";
import type { RequestOperation } from "../operation.js";
import { parseJsonBody } from "../parse-json-body.js";
import { sendJson } from "../respond.js";
import { validateShape } from "../../../service-model/validate-input.js";

export function startAsyncInvoke(service: AsyncInvokeService): RequestOperation {
  return async (call) => {
    const input = parseJsonBody(await call.readBody());
    validateShape("StartAsyncInvokeRequest", input);
    const request = input as StartAsyncInvokeRequest;
    call.record.requestedModelId = request.modelId;
    const answer = await service.start(request, call.caller);
    sendJson(call.res, 200, JSON.stringify(answer), { "x-amzn-requestid": call.requestId });
  };
}
