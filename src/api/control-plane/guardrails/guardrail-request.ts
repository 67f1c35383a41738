// What the guardrail operations of the control plane share: the JSON body checked against its request shape
// (control-plane model, AWS wording), the service's own rules for definitions, query parameters, answers.
import { validationError } from "../../../core/errors.js";
import { controlPlaneValidationMessage } from "../../../guardrails/control-plane-schema.js";
import type { GuardrailDefinition } from "../../../guardrails/guardrail-definition.js";
import { definitionProblems } from "../../../guardrails/validate-guardrail-definition.js";
import type { IncomingCall } from "../../../server/call-context.js";
import { parseJsonBody } from "../../bedrock/parse-json-body.js";
import { sendJson } from "../../bedrock/respond.js";

/** The body, with the path labels merged in, checked against the operation's input shape. */
export async function readRequest<T>(call: IncomingCall, shapeName: string, labels: Readonly<Record<string, string>> = {}): Promise<T> {
  const body = parseJsonBody(await call.readBody()) as Record<string, unknown>;
  const request = { ...body, ...labels };
  const message = controlPlaneValidationMessage(shapeName, request);
  if (message) throw validationError(message);
  return request as T;
}

/** The guardrail definition inside a Create/UpdateGuardrail request, checked against the service's rules. */
export function definitionOf(request: GuardrailDefinition & Record<string, unknown>): GuardrailDefinition {
  const {
    name, description, topicPolicyConfig, contentPolicyConfig, wordPolicyConfig, sensitiveInformationPolicyConfig,
    contextualGroundingPolicyConfig, automatedReasoningPolicyConfig, crossRegionConfig, blockedInputMessaging,
    blockedOutputsMessaging, kmsKeyId,
  } = request;
  const definition = Object.fromEntries(Object.entries({
    name, description, topicPolicyConfig, contentPolicyConfig, wordPolicyConfig, sensitiveInformationPolicyConfig,
    contextualGroundingPolicyConfig, automatedReasoningPolicyConfig, crossRegionConfig, blockedInputMessaging,
    blockedOutputsMessaging, kmsKeyId,
  }).filter(([, v]) => v !== undefined)) as unknown as GuardrailDefinition;
  const problems = definitionProblems(definition);
  if (problems.length) throw validationError(problems.join(" "));
  return definition;
}

export function queryParams(call: IncomingCall): URLSearchParams {
  const url = call.req.url ?? "";
  const q = url.indexOf("?");
  return new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
}

/** A query parameter checked against its shape in the operation's input (labels and query members). */
export function checkQuery(shapeName: string, values: Record<string, unknown>): void {
  const message = controlPlaneValidationMessage(shapeName, values);
  if (message) throw validationError(message);
}

export function answer(call: IncomingCall, status: number, body: unknown): void {
  sendJson(call.res, status, JSON.stringify(body), { "x-amzn-requestid": call.requestId });
}
