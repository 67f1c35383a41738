// What every operation handler receives.
import type { CallContext } from "../../core/model.js";
import type { ServedModel } from "../../core/model-registry.js";
import type { Request, Response } from "./http-types.js";

export interface OperationCall {
  req: Request;
  res: Response;
  body: Buffer;
  served: ServedModel;
  ctx: CallContext;
  /** Aborted when the server begins to shut down: unary calls finish, streams end with an exception. */
  shutdown: AbortSignal;
}

export type Operation = (call: OperationCall) => Promise<void>;
