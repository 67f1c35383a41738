// GET /anthropic/v1/models (and /v1/models from an Anthropic SDK, which sends `anthropic-version`): the served
// models in the Models API's shape (`type: "model"`, `display_name`, `created_at`; a page with `has_more`);
// GET …/models/{id}: one of them, or Anthropic's not_found_error.
import { BedrockError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import { modelNameOf } from "../control-plane/catalog/catalog-entries.js";
import { servedModelId } from "../foreign/model-path.js";
import { sendJson } from "../bedrock/respond.js";

// Served models have no release date of their own; the epoch says so rather than inventing one.
const CREATED_AT = new Date(0).toISOString();

const modelObject = (id: string) => ({ type: "model", id, display_name: modelNameOf(id), created_at: CREATED_AT });

export async function listAnthropicModels(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  call.record.operation = "ListModels";
  await call.readBody();
  const data = catalog.ids.map(modelObject);
  sendModelJson(call, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

export async function retrieveAnthropicModel(call: IncomingCall, catalog: ModelCatalog, pathId: string): Promise<void> {
  call.record.operation = "RetrieveModel";
  await call.readBody();
  const id = servedModelId(catalog, pathId);
  if (id === undefined) throw new BedrockError("ResourceNotFoundException", `model: ${pathId}`);
  sendModelJson(call, modelObject(id));
}

function sendModelJson(call: IncomingCall, value: unknown): void {
  sendJson(call.res, 200, JSON.stringify(value), { "request-id": call.requestId });
}
