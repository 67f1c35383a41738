// Policy 1: the caller may use this model at all (auth.keys[].models). Admission-only, so a pass-through
// model's relay stays behind it and relayed calls are checked too.
import { checkModelAccess } from "../../auth/check-model-access.js";
import type { ModelInfo } from "../../core/model-info.js";
import { admissionMiddleware, type ModelMiddleware } from "../../core/model-middleware.js";

export function modelAccessPolicy(info: ModelInfo): ModelMiddleware {
  return admissionMiddleware((ctx) =>
    checkModelAccess(ctx.caller, { servedModelId: info.id, requestedModelId: ctx.requestedModelId, operation: ctx.record.operation }),
  );
}
