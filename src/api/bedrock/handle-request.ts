// The Bedrock front door: one (req, res) handler for HTTP/1.1 and HTTP/2.
import { randomUUID } from "node:crypto";
import { BedrockError } from "../../core/errors.js";
import type { CallContext } from "../../core/model.js";
import { ANONYMOUS } from "../../core/caller.js";
import { newCallRecord } from "../../core/call-record.js";
import type { ModelRegistry } from "../../core/model-registry.js";
import type { Request, Response } from "./http-types.js";
import { readBody } from "./read-body.js";
import { sendError } from "./respond.js";
import { matchRoute } from "./routes.js";

export interface FrontDoorOptions {
  registry: ModelRegistry;
  maxBodyBytes: number;
  /** Fires when the server begins to shut down. */
  shutdownSignal: AbortSignal;
}

export function createBedrockHandler(opts: FrontDoorOptions) {
  return async function handle(req: Request, res: Response): Promise<void> {
    const startedAt = process.hrtime.bigint();
    const requestId = randomUUID();
    try {
      const route = matchRoute(req.method, req.url);
      if (!route) {
        await readBody(req, opts.maxBodyBytes).catch(() => undefined);
        throw new BedrockError("UnknownOperationException", `No operation matches ${req.method} ${req.url?.split("?")[0]}.`);
      }
      const body = await readBody(req, opts.maxBodyBytes);
      const served = opts.registry.resolve(route.modelId);
      if (!served) throw new BedrockError("ValidationException", "The provided model identifier is invalid.");

      // ctx.signal: aborted when the client goes away before the response is complete. Made on first use
      // (an echo Converse never asks), and not aborted after a complete response: AbortController and
      // abort()'s DOMException were together the largest per-request cost of a unary call.
      let controller: AbortController | undefined;
      let clientGone = false;
      res.once("close", () => {
        if (res.writableEnded) return;
        clientGone = true;
        controller?.abort();
      });
      const ctx: CallContext = {
        requestedModelId: route.modelId,
        requestId,
        startedAt,
        caller: ANONYMOUS,
        record: newCallRecord({ requestId, frontDoor: "bedrock" }),
        get signal() {
          if (!controller) {
            controller = new AbortController();
            if (clientGone) controller.abort();
          }
          return controller.signal;
        },
      };
      await route.operation({ req, res, body, served, shutdown: opts.shutdownSignal, ctx });
    } catch (err) {
      sendError(res, err, requestId);
    }
  };
}
