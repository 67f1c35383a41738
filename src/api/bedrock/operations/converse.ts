import type { ConverseInput } from "../../../core/model.js";
import type { Operation } from "../operation.js";
import { parseJsonBody } from "../read-body.js";
import { relayOperation } from "../relay-response.js";
import { sendJson } from "../respond.js";
import { validateConversation } from "../validation/validate-conversation.js";
import { validateShape } from "../validation/validate-input.js";

export function parseConverseInput(body: Buffer, shapeName: "ConverseRequest" | "ConverseStreamRequest"): ConverseInput {
  const input = parseJsonBody(body);
  validateShape(shapeName, input);
  validateConversation(input as ConverseInput);
  return input as ConverseInput;
}

export const converse: Operation = async (call) => {
  const { res, body, served, ctx } = call;
  const input = parseConverseInput(body, "ConverseRequest");
  if (served.model.relay) return relayOperation(call, "converse");
  const output = await served.model.converse(input, ctx);
  sendJson(res, 200, JSON.stringify(output), { "x-amzn-requestid": ctx.requestId });
};
