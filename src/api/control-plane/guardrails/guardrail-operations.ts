// CreateGuardrail, GetGuardrail, ListGuardrails, UpdateGuardrail, DeleteGuardrail and CreateGuardrailVersion
// over the one guardrail store (config-file guardrails included, read-only). Each handler is a few lines:
// check the request, call the store, answer in the operation's shape with its status (202 for writes).
import type {
  CreateGuardrailRequest, CreateGuardrailVersionRequest, UpdateGuardrailRequest,
} from "../../../core/control-plane-shapes.generated.js";
import type { GuardrailStore } from "../../../guardrails/guardrail-store.js";
import type { ControlPlaneOperationName } from "../routes.generated.js";
import type { ControlPlaneHandler } from "../control-plane-door.js";
import { getGuardrailResponse, guardrailSummary } from "./guardrail-responses.js";
import { answer, checkQuery, definitionOf, queryParams, readRequest } from "./guardrail-request.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** Every guardrail operation, by name, for the control-plane door. */
export function guardrailOperations(store: GuardrailStore): [ControlPlaneOperationName, ControlPlaneHandler][] {
  return [
    ["CreateGuardrail", async (call) => {
      const request = await readRequest<CreateGuardrailRequest>(call, "CreateGuardrailRequest");
      const created = await store.create(definitionOf(request as never), { clientRequestToken: request.clientRequestToken, tags: request.tags });
      answer(call, 202, { guardrailId: created.id, guardrailArn: created.arn, version: "DRAFT", createdAt: iso(created.createdAt) });
    }],
    ["GetGuardrail", async (call, labels) => {
      await call.readBody();
      const guardrailVersion = queryParams(call).get("guardrailVersion") ?? undefined;
      checkQuery("GetGuardrailRequest", { guardrailIdentifier: labels.guardrailIdentifier, guardrailVersion });
      answer(call, 200, getGuardrailResponse(await store.get(labels.guardrailIdentifier, guardrailVersion ?? "DRAFT")));
    }],
    ["ListGuardrails", async (call) => {
      await call.readBody();
      const q = queryParams(call);
      const maxResults = q.has("maxResults") ? Number(q.get("maxResults")) : undefined;
      const query = { guardrailIdentifier: q.get("guardrailIdentifier") ?? undefined, maxResults, nextToken: q.get("nextToken") ?? undefined };
      checkQuery("ListGuardrailsRequest", query);
      const page = await store.list({ identifier: query.guardrailIdentifier, maxResults, nextToken: query.nextToken });
      answer(call, 200, { guardrails: page.guardrails.map(guardrailSummary), ...(page.nextToken && { nextToken: page.nextToken }) });
    }],
    ["UpdateGuardrail", async (call, labels) => {
      const request = await readRequest<UpdateGuardrailRequest>(call, "UpdateGuardrailRequest", labels);
      const updated = await store.update(request.guardrailIdentifier, definitionOf(request as never));
      answer(call, 202, { guardrailId: updated.id, guardrailArn: updated.arn, version: "DRAFT", updatedAt: iso(updated.updatedAt) });
    }],
    ["DeleteGuardrail", async (call, labels) => {
      await call.readBody();
      const guardrailVersion = queryParams(call).get("guardrailVersion") ?? undefined;
      checkQuery("DeleteGuardrailRequest", { guardrailIdentifier: labels.guardrailIdentifier, guardrailVersion });
      await store.delete(labels.guardrailIdentifier, guardrailVersion);
      answer(call, 202, {});
    }],
    ["CreateGuardrailVersion", async (call, labels) => {
      const request = await readRequest<CreateGuardrailVersionRequest>(call, "CreateGuardrailVersionRequest", labels);
      const version = await store.createVersion(request.guardrailIdentifier, { description: request.description, clientRequestToken: request.clientRequestToken });
      answer(call, 202, { guardrailId: version.id, version: version.version });
    }],
  ];
}
