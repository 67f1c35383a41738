// InvokeModel — POST /model/{modelId}/invoke (DIGEST §6): the family's native body in, its native response
// out, with the token counts and latency Bedrock reports in x-amzn-bedrock-* headers.
import { latencyMs } from "../../../core/model.js";
import type { TokenUsage } from "../../../core/shapes.generated.js";
import { noteOutput } from "../../../core/record-outcome.js";
import type { Headers } from "../../../server/http-types.js";
import type { ModelOperation } from "../operation.js";
import { policyHeaders, sendJson } from "../respond.js";
import { checkInvokeHeaders, parseInvokeRequest } from "./invoke-request.js";
import { invokeGuardrailFields } from "../../../guardrails/invoke-model-guardrail-fields.js";

export function usageHeaders(usage: TokenUsage | undefined, latency: number): Headers {
  const headers: Headers = {
    "x-amzn-bedrock-invocation-latency": String(latency),
    "x-amzn-bedrock-output-token-count": String(usage?.outputTokens ?? 0),
    "x-amzn-bedrock-input-token-count": String(usage?.inputTokens ?? 0),
  };
  if (usage?.cacheReadInputTokens) headers["x-amzn-bedrock-cache-read-input-token-count"] = String(usage.cacheReadInputTokens);
  if (usage?.cacheWriteInputTokens) headers["x-amzn-bedrock-cache-write-input-token-count"] = String(usage.cacheWriteInputTokens);
  return headers;
}

export const invokeModel: ModelOperation<Headers> = {
  check: ({ req }) => checkInvokeHeaders(req, "InvokeModelRequest"),
  async serve(call, echoed) {
    const { res, served, ctx } = call;
    const request = parseInvokeRequest(call);
    const output = await served.model.converse(request.input, ctx);
    noteOutput(ctx.record, output);
    const native = request.fromConverse(output) as Record<string, unknown>;
    const body = JSON.stringify({ ...native, ...invokeGuardrailFields(request.input, output.stopReason, output.trace?.guardrail, ctx.record) });
    sendJson(res, 200, body, { "x-amzn-requestid": ctx.requestId, ...usageHeaders(output.usage, latencyMs(ctx)), ...echoed, ...policyHeaders(ctx.record) });
  },
};
