// GET /openai/v1/models and /v1/models: the served models as OpenAI's model list, owned by their family's provider.
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import { providerNameOf } from "../control-plane/catalog/catalog-entries.js";

export async function listModels(call: IncomingCall, catalog: ModelCatalog): Promise<void> {
  call.record.operation = "ListModels";
  await call.readBody();
  const data = catalog.ids.map((id) => ({ id, object: "model", created: 0, owned_by: providerNameOf(id) }));
  const text = JSON.stringify({ object: "list", data });
  call.res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": call.requestId });
  call.res.end(text);
}
