// Converse — POST /model/{modelId}/converse.
import type { ConverseInput } from "../../../core/model.js";
import { noteOutput } from "../../../core/record-outcome.js";
import type { ModelOperation } from "../operation.js";
import { withRequestOptions } from "./answer-request-options.js";
import { parseJsonBody } from "../parse-json-body.js";
import { policyHeaders, sendJson } from "../respond.js";
import { validateConversation } from "../../../service-model/validate-conversation.js";
import { validateShape } from "../../../service-model/validate-input.js";

export function parseConverseInput(body: Buffer, shapeName: "ConverseRequest" | "ConverseStreamRequest"): ConverseInput {
  const input = parseJsonBody(body);
  validateShape(shapeName, input);
  validateConversation(input as ConverseInput);
  return input as ConverseInput;
}

export const converse: ModelOperation<ConverseInput> = {
  check: ({ body }) => parseConverseInput(body, "ConverseRequest"),
  async serve({ res, served, ctx }, input) {
    const output = withRequestOptions(await served.model.converse(input, ctx), input);
    noteOutput(ctx.record, output);
    sendJson(res, 200, JSON.stringify(output), { "x-amzn-requestid": ctx.requestId, ...policyHeaders(ctx.record) });
  },
};
