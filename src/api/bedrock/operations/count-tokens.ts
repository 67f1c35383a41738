import type { CountTokensInput } from "../../../core/shapes.generated.js";
import type { Operation } from "../operation.js";
import { parseJsonBody } from "../read-body.js";
import { relayOperation } from "../relay-response.js";
import { sendJson } from "../respond.js";
import { validateConversation } from "../validation/validate-conversation.js";
import { validateShape } from "../validation/validate-input.js";
import { invokeBodyAsConverse } from "./count-invoke-tokens.js";

export const countTokens: Operation = async (call) => {
  const { res, body, served, ctx } = call;
  const request = parseJsonBody(body) as { input: CountTokensInput };
  validateShape("CountTokensRequest", request);
  if ("converse" in request.input) validateConversation(request.input.converse);
  if (served.model.relay) return relayOperation(call, "count-tokens");
  const input = "invokeModel" in request.input ? invokeBodyAsConverse(request.input.invokeModel.body, ctx, served.entry) : request.input;
  const inputTokens = await served.model.countTokens(input, ctx);
  sendJson(res, 200, JSON.stringify({ inputTokens }), { "x-amzn-requestid": ctx.requestId });
};
