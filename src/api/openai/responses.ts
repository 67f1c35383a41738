// POST /openai/v1/responses and /v1/responses: not served yet; answers a clear OpenAI-shaped error.
import { BedrockError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";

export async function responses(call: IncomingCall, _catalog: ModelCatalog): Promise<void> {
  call.record.operation = "Responses";
  await call.readBody();
  throw new BedrockError("UnknownOperationException", "The Responses API is not served by this Basalt yet; use /v1/chat/completions.");
}
