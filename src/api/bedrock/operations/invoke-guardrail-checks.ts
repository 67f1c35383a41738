// InvokeGuardrailChecks — POST /guardrail-checks/invoke (DIGEST §10.2): inline checks, no stored guardrail.
import type { InvokeGuardrailChecksRequest } from "../../../core/shapes.generated.js";
import type { GuardrailService } from "../../../guardrails/guardrail-service.js";
import { runGuardrailChecks } from "../../../guardrails/run-guardrail-checks.js";
import type { RequestOperation } from "../operation.js";
import { parseJsonBody } from "../parse-json-body.js";
import { sendJson } from "../respond.js";
import { validateShape } from "../../../service-model/validate-input.js";

export function invokeGuardrailChecks(service: GuardrailService): RequestOperation {
  return async (call) => {
    const request = parseJsonBody(await call.readBody());
    validateShape("InvokeGuardrailChecksRequest", request);
    const response = await runGuardrailChecks(request as InvokeGuardrailChecksRequest, service.classifier);
    sendJson(call.res, 200, JSON.stringify(response), { "x-amzn-requestid": call.requestId });
  };
}
