// The OpenAI-compatible front door: Chat Completions, the model list and (stateless) Responses, at
// /openai/v1/… and at /v1/…, as Bedrock's runtime host serves them. Callers authenticate with a Bearer key
// or a SigV4 signature (the dispatcher's runtime credentials). Every model call goes through the served,
// policy-wrapped model, so every policy and the ledger apply as for Converse.
import { BedrockError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import type { FrontDoor } from "../../server/dispatch.js";
import { chatCompletions } from "./chat-completions.js";
import { listModels, retrieveModel } from "./models-list.js";
import { listAnthropicModels, retrieveAnthropicModel } from "../anthropic/anthropic-models.js";
import { sendAnthropicError } from "../anthropic/anthropic-errors.js";
import { sendOpenAIError } from "./openai-errors.js";
import { responses } from "./responses.js";

export interface OpenAIDoorOptions {
  catalog: ModelCatalog;
}

/** The route under /v1 (`/chat/completions`, `/models`, `/responses`), for either prefix. */
function route(path: string): string {
  return path.startsWith("/openai/v1/") ? path.slice("/openai/v1".length) : path.slice("/v1".length);
}

/**
 * GET /v1/models is also the Anthropic Models API's path: an Anthropic SDK (which always sends
 * `anthropic-version`) gets Anthropic's shape, everyone else OpenAI's.
 */
async function models(call: IncomingCall, catalog: ModelCatalog, r: string): Promise<void> {
  const id = r === "/models" ? undefined : r.slice("/models/".length);
  const anthropic = call.path.startsWith("/v1/") && call.req.headers["anthropic-version"] !== undefined;
  if (!anthropic) return id === undefined ? listModels(call, catalog) : retrieveModel(call, catalog, id);
  try {
    await (id === undefined ? listAnthropicModels(call, catalog) : retrieveAnthropicModel(call, catalog, id));
  } catch (err) {
    sendAnthropicError(call, err);
  }
}

export function createOpenAIDoor(opts: OpenAIDoorOptions): FrontDoor {
  return {
    name: "openai",
    async serve(call: IncomingCall) {
      try {
        const method = call.req.method ?? "";
        const r = route(call.path);
        if (method === "POST" && r === "/chat/completions") return await chatCompletions(call, opts.catalog);
        if (method === "GET" && (r === "/models" || r.startsWith("/models/"))) return await models(call, opts.catalog, r);
        if (method === "POST" && r === "/responses") return await responses(call, opts.catalog);
        call.record.operation = "Unknown";
        await call.readBody().catch(() => undefined);
        throw new BedrockError("UnknownOperationException", `${method} ${call.path} is not an OpenAI-compatible route Basalt serves.`);
      } catch (err) {
        sendOpenAIError(call, err);
      }
    },
    async refuse(call, error) {
      await call.readBody().catch(() => undefined);
      sendOpenAIError(call, error);
    },
  };
}
