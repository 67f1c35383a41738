// ApplyGuardrail — POST /guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply (DIGEST §10.1):
// one guardrail version applied to the given content, no model involved.
import { BedrockError } from "../../../core/errors.js";
import type { ApplyGuardrailRequest, ApplyGuardrailResponse } from "../../../core/shapes.generated.js";
import { evaluateGuardrail } from "../../../guardrails/evaluate-guardrail.js";
import type { GuardrailService } from "../../../guardrails/guardrail-service.js";
import type { RequestOperation } from "../operation.js";
import { parseJsonBody } from "../parse-json-body.js";
import { sendJson } from "../respond.js";
import { validateShape } from "../../../service-model/validate-input.js";
import { issuesError, validatorFor, type Issue } from "../../../service-model/validate-shape.js";

// The path labels, checked against their shapes (the body validator skips members bound to the URI).
const checkIdentifier = validatorFor("GuardrailIdentifier");
const checkVersion = validatorFor("GuardrailVersion");

export function applyGuardrail(service: GuardrailService): RequestOperation {
  return async (call, labels) => {
    const body = parseJsonBody(await call.readBody()) as Record<string, unknown>;
    const request = { ...body, guardrailIdentifier: labels.guardrailIdentifier, guardrailVersion: labels.guardrailVersion };
    const issues: Issue[] = [];
    checkIdentifier(labels.guardrailIdentifier, "guardrailIdentifier", issues);
    checkVersion(labels.guardrailVersion, "guardrailVersion", issues);
    const labelProblem = issuesError(issues);
    if (labelProblem) throw labelProblem;
    validateShape("ApplyGuardrailRequest", request);
    const { guardrailIdentifier, guardrailVersion, source, content, outputScope } = request as ApplyGuardrailRequest;
    if (!guardrailIdentifier || !guardrailVersion) throw new BedrockError("ValidationException", "A guardrail identifier and version are required.");
    const guardrail = await service.resolve(guardrailIdentifier, guardrailVersion);
    if (!guardrail) throw await service.store.missing(guardrailIdentifier, guardrailVersion);
    const evaluation = await evaluateGuardrail(guardrail.compiled, content, { source, outputScope, classifier: service.classifier });
    call.record.guardrailAction = evaluation.action;
    const response: ApplyGuardrailResponse = {
      usage: evaluation.usage,
      action: evaluation.action,
      actionReason: evaluation.actionReason,
      outputs: evaluation.outputs,
      assessments: [evaluation.assessment],
      guardrailCoverage: evaluation.coverage,
    };
    sendJson(call.res, 200, JSON.stringify(response), { "x-amzn-requestid": call.requestId });
  };
}
