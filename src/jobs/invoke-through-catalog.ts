// The InvokeFn app.ts gives the job engine: a job's model call takes the same path as InvokeModel (or, for a
// Converse batch, as Converse) — the served model wrapped by every gateway policy, the model's family turning
// the native body into Converse and the answer back — and leaves a call record marked with the job's front
// door ("async" / "batch") for the observers (ledger, metrics), as a live call would.
import { randomUUID } from "node:crypto";
import { requireFamily } from "../families/index.js";
import { translateNative } from "../families/read-native-body.js";
import { validateConversation } from "../service-model/validate-conversation.js";
import { validateShape } from "../service-model/validate-input.js";
import type { CallRecord } from "../core/call-record.js";
import { newCallRecord } from "../core/call-record.js";
import { toBedrockError, validationError } from "../core/errors.js";
import type { ModelCatalog } from "../core/model-info.js";
import type { CallContext, ConverseInput, ConverseOutput } from "../core/model.js";
import { noteError, noteOutput } from "../core/record-outcome.js";
import { isObject } from "../formats/shared/check-json.js";
import type { InvokeFn } from "./invoke-fn.js";

export interface CatalogInvokeOptions {
  catalog: ModelCatalog;
  /** Receives each finished call record (the observers). */
  onEnd?: (record: CallRecord) => void;
}

export function invokeThroughCatalog(opts: CatalogInvokeOptions): InvokeFn {
  return async (modelId, modelInput, job) => {
    const requestId = randomUUID();
    const record = newCallRecord({ requestId, frontDoor: job.frontDoor, operation: job.invocationType, caller: job.caller.name });
    record.requestedModelId = modelId;
    const startedAt = process.hrtime.bigint();
    const ctx: CallContext = { requestedModelId: modelId, requestId, startedAt, caller: job.caller, record, signal: job.signal };
    try {
      const served = opts.catalog.resolve(modelId);
      if (!served) throw validationError("The provided model identifier is invalid.");
      record.modelId = served.info.id;
      record.provider = served.info.provider;
      record.upstreamModel = served.info.model ?? served.info.id;
      const result = job.invocationType === "Converse" ? await converse(served.model.converse.bind(served.model), modelInput, ctx) : await invoke(served, modelId, modelInput, ctx);
      record.status = 200;
      return result;
    } catch (err) {
      const e = toBedrockError(err);
      noteError(record, e);
      record.status = e.status;
      throw err;
    } finally {
      record.latencyMs = Number((process.hrtime.bigint() - startedAt) / 1_000_000n);
      opts.onEnd?.(record);
    }
  };

  async function invoke(served: NonNullable<ReturnType<ModelCatalog["resolve"]>>, modelId: string, modelInput: unknown, ctx: CallContext) {
    const request = translateNative(requireFamily(modelId, served.info), nativeBody(modelInput), { modelId, requestId: ctx.requestId });
    const output = await served.model.converse(request.input, ctx);
    noteOutput(ctx.record, output);
    return { body: request.fromConverse(output), inputTokens: output.usage?.inputTokens, outputTokens: output.usage?.outputTokens };
  }

  async function converse(run: (input: ConverseInput, ctx: CallContext) => Promise<ConverseOutput>, modelInput: unknown, ctx: CallContext) {
    validateShape("ConverseRequest", { ...(isObject(modelInput) ? modelInput : {}), modelId: ctx.requestedModelId });
    validateConversation(modelInput as ConverseInput);
    const output = await run(modelInput as ConverseInput, ctx);
    noteOutput(ctx.record, output);
    return { body: output, inputTokens: output.usage?.inputTokens, outputTokens: output.usage?.outputTokens };
  }
}

/** A copy of the stored body, so a family that edits its input never changes what the job keeps. */
function nativeBody(modelInput: unknown): Record<string, unknown> {
  if (!isObject(modelInput)) throw validationError("Malformed input request: #: expected type: JSONObject, please reformat your input and try again.");
  const body = structuredClone(modelInput);
  // Bedrock's guardrail key belongs to a guardrail, which a job does not name: the model never sees it.
  delete body["amazon-bedrock-guardrailConfig"];
  return body;
}

/** StartAsyncInvoke's early check: the body must be one the model's family can read (no model call). */
export function checkNativeBody(catalog: ModelCatalog): (modelId: string, modelInput: unknown) => void {
  return (modelId, modelInput) => {
    const served = catalog.resolve(modelId);
    if (!served) throw validationError("The provided model identifier is invalid.");
    const family = requireFamily(modelId, served.info);
    translateNative(family, nativeBody(modelInput), { modelId, requestId: randomUUID() });
  };
}
