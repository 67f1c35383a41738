// GET /openai/v1/models and /v1/models: the served models as OpenAI's model list, owned by their family's
// provider; GET …/models/{id}: one of them (models.retrieve), or OpenAI's 404 for an id not served here.
import { BedrockError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import { providerNameOf } from "../control-plane/catalog/catalog-entries.js";
import { servedModelId } from "../foreign/model-path.js";
import { sendJson } from "../bedrock/respond.js";

const modelObject = (id: string) => ({ id, object: "model", created: 0, owned_by: providerNameOf(id) });

export async function listModels(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  call.record.operation = "ListModels";
  await call.readBody();
  sendModelJson(call, { object: "list", data: catalog.ids.map(modelObject) });
}

export async function retrieveModel(call: IncomingCall, catalog: ModelCatalog, pathId: string): Promise<void> {
  call.record.operation = "RetrieveModel";
  await call.readBody();
  const id = servedModelId(catalog, pathId);
  if (id === undefined) throw new BedrockError("ResourceNotFoundException", `The model '${pathId}' does not exist`);
  sendModelJson(call, modelObject(id));
}

function sendModelJson(call: IncomingCall, value: unknown): void {
  sendJson(call.res, 200, JSON.stringify(value), { "x-request-id": call.requestId });
}
