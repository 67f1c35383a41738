// CountTokens — POST /model/{modelId}/count-tokens: a Converse request or a native InvokeModel body.
import type { CountTokensInput } from "../../../core/shapes.generated.js";
import type { ModelOperation } from "../operation.js";
import { parseJsonBody } from "../parse-json-body.js";
import { sendJson } from "../respond.js";
import { validateConversation } from "../../../service-model/validate-conversation.js";
import { validateShape } from "../../../service-model/validate-input.js";
import { invokeBodyAsConverse } from "./count-invoke-tokens.js";

export const countTokens: ModelOperation<CountTokensInput> = {
  check({ body }) {
    const request = parseJsonBody(body) as { input: CountTokensInput };
    validateShape("CountTokensRequest", request);
    if ("converse" in request.input) {
      // Only ConverseTokensRequest's own members: the Converse-only ones (guardrailConfig,
      // additionalModelResponseFieldPaths, …) are unknown here, and unknown members are ignored, not judged.
      const { messages, system, toolConfig } = request.input.converse;
      validateConversation({ messages, system, toolConfig });
    }
    return request.input;
  },
  async serve({ res, served, ctx }, request) {
    const input = "invokeModel" in request ? invokeBodyAsConverse(request.invokeModel.body, ctx, served.info) : request;
    const inputTokens = await served.model.countTokens(input, ctx);
    ctx.record.inputTokens = inputTokens;
    sendJson(res, 200, JSON.stringify({ inputTokens }), { "x-amzn-requestid": ctx.requestId });
  },
};
