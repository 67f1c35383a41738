// The OpenAI-compatible front door: Chat Completions, the model list and (stateless) Responses, at
// /openai/v1/… and at /v1/…, as Bedrock's runtime host serves them. Callers authenticate with a Bearer key
// or a SigV4 signature (the dispatcher's runtime credentials). Every model call goes through the served,
// policy-wrapped model, so every policy and the ledger apply as for Converse.
import { BedrockError } from "../../core/errors.js";
import type { ModelCatalog } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import type { FrontDoor } from "../../server/dispatch.js";
import { chatCompletions } from "./chat-completions.js";
import { listModels } from "./models-list.js";
import { sendOpenAIError } from "./openai-errors.js";
import { responses } from "./responses.js";

export interface OpenAIDoorOptions {
  catalog: ModelCatalog;
}

/** The route under /v1 (`/chat/completions`, `/models`, `/responses`), for either prefix. */
function route(path: string): string {
  return path.startsWith("/openai/v1/") ? path.slice("/openai/v1".length) : path.slice("/v1".length);
}

export function createOpenAIDoor(opts: OpenAIDoorOptions): FrontDoor {
  return {
    name: "openai",
    async serve(call: IncomingCall) {
      try {
        const method = call.req.method ?? "";
        const r = route(call.path);
        if (method === "POST" && r === "/chat/completions") return await chatCompletions(call, opts.catalog);
        if (method === "GET" && r === "/models") return await listModels(call, opts.catalog);
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
